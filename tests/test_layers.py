"""The house in layers: the layer table of docs/architecture.md is the one this test holds the code to.

Each package of ``officenet`` is a layer; a module imports only modules of its own layer or of the layers
below (no arrow up), the imports make no circle, and no two modules share a file name. Below the edge,
nothing opens a file: derivations run with every file access watched, on a design loaded from a copy.
"""
import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LIB = ROOT / "lib" / "officenet"
DOC = ROOT / "docs" / "architecture.md"


def layer_table() -> list[str]:
    """The packages of the layer table, bottom first (rows between the layers markers of the doc)."""
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- layers:start -->")[1].split("<!-- layers:end -->")[0]
    rows = [line for line in block.splitlines() if re.match(r"\|\s*\d+\s*\|", line)]
    numbered = sorted((int(r.split("|")[1]), r.split("|")[2].strip().strip("`").rstrip("/")) for r in rows)
    assert [n for n, _ in numbered] == list(range(1, len(numbered) + 1)), "layers are numbered 1, 2, 3 ..."
    return [name for _, name in numbered]


def may_import() -> dict[str, set[str]]:
    """Per layer, the packages its "may import" cell allows: names of layers, "the layers below", or
    "nothing else of officenet"."""
    text = DOC.read_text(encoding="utf-8")
    block = text.split("<!-- layers:start -->")[1].split("<!-- layers:end -->")[0]
    rows = sorted((int(r.split("|")[1]), r.split("|")[2].strip().strip("`").rstrip("/"), r.split("|")[4].strip())
                  for r in block.splitlines() if re.match(r"\|\s*\d+\s*\|", r))
    below = [name for _, name, _ in rows]
    allowed = {}
    for i, (_, name, cell) in enumerate(rows):
        if cell == "the layers below":
            allowed[name] = set(below[:i])
        elif cell == "nothing else of officenet":
            allowed[name] = set()
        else:
            allowed[name] = {part.strip() for part in cell.split(",")}
            assert allowed[name] <= set(below[:i]), f"{name} may import only layers below it: {cell}"
    return allowed


def module_name(path: Path) -> str:
    parts = path.relative_to(LIB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the officenet modules it imports (at the top or inside a function)."""
    modules = {module_name(p): p for p in LIB.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
                target = ".".join(base + [node.module] if node.module else base) if node.level else node.module
                for alias in node.names:
                    found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def layer_of(module: str, layers: list[str]) -> int:
    parts = module.split(".")
    return layers.index(parts[1]) if len(parts) > 1 and parts[1] in layers else len(layers)  # the package: top


def test_every_module_lives_in_a_layer_of_the_table():
    layers = layer_table()
    assert layers[:4] == ["model", "loading", "derive", "edge"], layers
    homeless = sorted(m for m in import_graph() if m != "officenet" and m.split(".")[1] not in layers)
    assert not homeless, f"modules outside every layer of docs/architecture.md: {homeless}"


def test_imports_only_point_down():
    layers = layer_table()
    up = sorted(f"{a} -> {b}" for a, targets in import_graph().items() for b in targets
                if layer_of(b, layers) > layer_of(a, layers))
    assert not up, "imports that point up a layer (move the code down, or pass the value in): " + "; ".join(up)


def test_imports_keep_to_the_may_import_column():
    """A layer may skip a lower layer entirely (derive reads a design, never a folder): the column says which."""
    allowed = may_import()
    found = sorted(f"{a} -> {b}" for a, targets in import_graph().items() for b in targets
                   if len(a.split(".")) > 1 and len(b.split(".")) > 1 and a.split(".")[1] in allowed
                   and b.split(".")[1] != a.split(".")[1] and b.split(".")[1] not in allowed[a.split(".")[1]])
    assert not found, "imports the layer table's 'may import' column does not allow: " + "; ".join(found)


def test_imports_make_no_circle():
    graph = import_graph()
    index, low, stack, on, circles, counter = {}, {}, [], set(), [], [0]

    def visit(v):  # Tarjan: a strongly connected component of more than one module is a circle
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 5000))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not circles, f"modules that import each other round a circle: {circles}"


def test_the_probe_sees_an_arrow_up_and_a_circle():
    """The two tests above can fail: a module of the model importing the edge is seen."""
    layers = layer_table()
    assert layer_of("officenet.edge.render", layers) > layer_of("officenet.model.design", layers)
    assert layer_of("officenet.explorers.base", layers) == layers.index("explorers")


def test_no_two_modules_share_a_file_name():
    names: dict[str, list[str]] = {}
    for path in LIB.rglob("*.py"):
        if path.name != "__init__.py":
            names.setdefault(path.name, []).append(str(path.relative_to(LIB)))
    twins = {n: places for n, places in names.items() if len(places) > 1}
    assert not twins, f"file names used twice (name each module for what it holds): {twins}"


# --- nothing below the edge opens a file ---------------------------------------------------------

PROBE = r"""
import json, shutil, sys, tempfile
from pathlib import Path
import officenet
from officenet.derive import certificates, checks, gateway, lbconfig, trace
from officenet.derive.acls import render_acls
from officenet.derive.dns import dns_records, scenario_records
from officenet.derive.organisation import organisation
from officenet.model.scenario import Scenario

copy = Path(tempfile.mkdtemp()) / "data"
shutil.copytree(sys.argv[1], copy)
design = officenet.load(copy)
opened = []
watching = [False]

def hook(event, args):
    if watching[0] and event == "open" and isinstance(args[0], (str, bytes)) and not str(args[0]).endswith((".py", ".pyc", ".so")):
        opened.append(str(args[0]))
sys.addaudithook(hook)

def watched(label, f):
    watching[0] = True
    try:
        f()
    finally:
        watching[0] = False
    return label

done = []
scenario = Scenario.default_for(design)
org = organisation(design, scenario)
done.append(watched("checks", lambda: checks.run_checks(org.design, org.scenario)))
done.append(watched("trace", lambda: [trace.trace_flow(design, f.id) for f in design.flows]))
done.append(watched("dns", lambda: (dns_records(design), scenario_records(org.design, org.scenario),
                                     org.zone_texts())))
done.append(watched("certificates", lambda: org.certificate_names()))
done.append(watched("records", lambda: [design.get("ports", p.id) for p in design.ports]))
done.append(watched("allow list", lambda: gateway.gateway_allow_list(design)))
done.append(watched("haproxy", lambda: org.haproxy()))
done.append(watched("scenario", lambda: Scenario(name="x")))
print(json.dumps({"done": done, "opened": opened}))
"""


def test_derivations_on_a_copied_folder_read_no_file():
    out = subprocess.run([sys.executable, "-c", PROBE, str(ROOT / "data")], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert len(result["done"]) == 8
    assert result["opened"] == [], f"derivations opened files: {sorted(set(result['opened']))}"


def test_the_file_probe_sees_a_read():
    """The probe above can fail: a derivation that reads a CSV file is seen."""
    probe = PROBE.replace('lambda: Scenario(name="x")', 'lambda: (Scenario(name="x"), officenet.load(copy))')
    out = subprocess.run([sys.executable, "-c", probe, str(ROOT / "data")], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert any(p.endswith(".csv") for p in json.loads(out.stdout.strip().splitlines()[-1])["opened"])


def test_importing_the_workshop_reads_no_data_file():
    code = ("import sys\nopened = []\nsys.addaudithook(lambda e, a: opened.append(str(a[0])) if e == 'open' and "
            "isinstance(a[0], (str, bytes)) else None)\nimport officenet.workshop\nfrom officenet.model.scenario "
            "import Scenario\nScenario()\nprint(repr(opened))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    opened = [Path(p) for p in eval(out.stdout.strip().splitlines()[-1])]
    # The program's own files (modules, the HAProxy template) are read as code is; the design's are not.
    assert any(p.suffix in (".py", ".pyc") for p in opened), "the probe saw no file at all"
    design_files = [p for p in opened if p.suffix in (".csv", ".yaml", ".yml")
                    or p.is_relative_to(ROOT / "data") or p.is_relative_to(ROOT / "scenarios")]
    assert not design_files, f"design or scenario files read: {design_files}"
