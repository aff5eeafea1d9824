"""pyproject.toml (pip) and environment.yml (conda, Binder) ask for the same packages."""
import re
import tomllib

import yaml

from conftest import ROOT

# pip name -> conda-forge name where they differ
CONDA_NAME = {"graphviz": "python-graphviz"}


def requirement(spec: str):
    name, version = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", spec).groups()
    return name.lower(), version.replace(" ", "")


def test_same_packages_and_versions():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip = dict(requirement(s) for s in project["dependencies"] + project["optional-dependencies"]["test"])
    pip = {CONDA_NAME.get(k, k): v for k, v in pip.items()}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(requirement(s) for s in env["dependencies"] if isinstance(s, str))
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    conda.update(requirement(s) for s in pip_section if not s.startswith("-"))
    assert conda.pop("graphviz") == "", "environment.yml must install Graphviz itself"
    assert conda.pop("python").startswith(">=")
    conda.pop("pip")
    assert conda == pip


def test_environment_installs_the_package_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_part = [d for d in env["dependencies"] if isinstance(d, dict)][0]["pip"]
    assert "-e ." in pip_part
