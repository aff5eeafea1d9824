"""requirements.lock pins, with hashes, every package pyproject.toml asks for (make lock refreshes it)."""
import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

PIN_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def lock_pins(text: str) -> dict[str, tuple[str, int]]:
    """name -> (version, how many --hash options follow the pin)."""
    pins, current = {}, None
    for line in text.splitlines():
        m = PIN_RE.match(line)
        if m:
            current = canonicalize_name(m.group(1))
            pins[current] = (m.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
        elif not line.startswith(" "):
            current = None
    return pins


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [s for extra in project.get("optional-dependencies", {}).values() for s in extra]
    build = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    return [Requirement(s) for s in specs + build]


def missing_from_lock(requirements, pins) -> list[str]:
    out = []
    for req in requirements:
        pin = pins.get(canonicalize_name(req.name))
        if pin is None:
            out.append(f"{req} is not pinned")
        elif not req.specifier.contains(pin[0], prereleases=True):
            out.append(f"{req} but the lock pins {pin[0]}")
    return out


def test_lock_pins_every_dependency_of_pyproject():
    pins = lock_pins((ROOT / "requirements.lock").read_text())
    problems = missing_from_lock(project_requirements(), pins)
    assert not problems, "requirements.lock is stale (run make lock): " + "; ".join(problems)


def test_every_pin_has_hashes():
    pins = lock_pins((ROOT / "requirements.lock").read_text())
    assert len(pins) > 50  # the whole resolved tree, not only the direct dependencies
    assert all(hashes >= 1 for _, hashes in pins.values()), [n for n, (_, h) in pins.items() if not h]


def test_the_check_fails_on_a_dependency_the_lock_lacks():
    pins = lock_pins((ROOT / "requirements.lock").read_text())
    assert missing_from_lock([Requirement("no-such-package>=1")], pins) == ["no-such-package>=1 is not pinned"]
    pandas = pins["pandas"][0]
    assert missing_from_lock([Requirement(f"pandas>{pandas}")], pins) == [f"pandas>{pandas} but the lock pins {pandas}"]


def test_setup_installs_from_the_lock_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r $(LOCK)" in makefile
    assert "--no-deps" in makefile
    stamp = next(line for line in makefile.splitlines() if line.startswith("STAMP :="))
    assert "$(LOCK)" in stamp and "pyproject.toml" in stamp  # a changed lock reinstalls
