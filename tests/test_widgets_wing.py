"""The widgets live in ``officenet.explorers`` and nowhere else (the layers themselves: test_layers.py).

Every module outside that display wing is imported alone, each in a fresh copy of an interpreter,
and must not load ipywidgets: derivations return data, tables and figures, never widgets.
"""
import json
import os
import pkgutil
import subprocess
import sys

import officenet

WING = "officenet.explorers"
CONTROL = f"{WING}.base"  # a widget module: the probe must see ipywidgets load there

# A fresh interpreter per module costs a second or more each (pandas alone); importing the package
# once and forking a child per module gives each child the state of a fresh `import officenet.X`
# (which runs the package first) for the cost of that module's own imports.
PROBE = r"""
import importlib, json, os, sys, traceback
import officenet
results = {"officenet": "ipywidgets" in sys.modules}
for name in json.loads(sys.argv[1]):
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
            code = 3 if "ipywidgets" in sys.modules else 0
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush(); sys.stderr.flush()
        os._exit(code)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    results[name] = {0: False, 3: True}.get(code, f"import failed (exit {code})")
print(json.dumps(results))
"""


def modules_outside_the_wing() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(officenet.__path__, "officenet.")]
    return sorted(n for n in names if n != WING and not n.startswith(WING + "."))


def widgets_loaded_by(names: list[str]) -> dict[str, object]:
    """Module -> True if importing it alone loads ipywidgets, False if not, or why it failed to import."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}  # no thread pools across fork
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(names)], capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_no_module_outside_the_display_wing_loads_ipywidgets():
    names = modules_outside_the_wing()
    assert len(names) > 20 and "officenet.edge.handout" in names and "officenet.derive.tables" in names
    loaded = widgets_loaded_by(names + [CONTROL])
    assert loaded.pop(CONTROL) is True, "the probe did not see ipywidgets load from a widget module"
    failed = {n: why for n, why in loaded.items() if why not in (True, False)}
    assert not failed, f"modules that do not import alone: {failed}"
    culprits = sorted(n for n, why in loaded.items() if why is True)
    assert not culprits, (f"these modules load ipywidgets: {culprits}; widgets belong in {WING}, "
                          "derivations return data, tables and figures")
