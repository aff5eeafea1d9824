"""The vocabulary of connections (``officenet.derive.routes``): the only way the trace, the checks
and the gateway learn which port rows a flow opens. The ``Design`` holds tables and simple queries,
no cache of what is derived from it; nothing outside design.py reads Design's private attributes,
and nothing outside routes.py reads the private names of routes."""
import ast
import gc
import re
from dataclasses import fields, replace
from pathlib import Path

from officenet.derive import routes
from officenet.derive.routes import (connections, ends_matching, hop_shapes, listens, matches, opens, per_design,
                                     ports_at, ports_serving, positions, spans)
from officenet.derive.trace import trace_rows
from officenet.model.design import Design
from officenet.model.records import Port
from officenet.loading.synthetic import multi_site

LIB = Path(__file__).resolve().parents[2] / "lib" / "officenet"
DESIGN = LIB / "model" / "design.py"
ROUTES = LIB / "derive" / "routes.py"


def _private_names_of_design() -> set[str]:
    """Private attributes that Design defines: methods, cached properties, fields."""
    tree = ast.parse(DESIGN.read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Design")
    names = set()
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if n.startswith("_") and not n.endswith("__")}


def _private_names_of_routes() -> set[str]:
    """Private module-level names of routes.py (its cache, its index class, its helpers)."""
    tree = ast.parse(ROUTES.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return {n for n in names if n.startswith("_") and not n.endswith("__")}


def private_uses(source: str, private: set[str]) -> list[str]:
    """'line: expr._name' for every read of one of ``private`` on anything but ``self``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in private:
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def private_imports(source: str, module: str, private: set[str]) -> list[str]:
    """'line: name' for every ``from ...module import _name`` of one of ``private``."""
    return [f"{node.lineno}: {alias.name}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[-1] == module
            for alias in node.names if alias.name in private]


def test_design_and_routes_have_private_names_to_guard():
    assert {"_index", "_outside", "_labels"} <= _private_names_of_design()
    assert {"_ENTRIES", "_Index", "_walk"} <= _private_names_of_routes()


def test_the_scan_finds_a_private_read():
    private = _private_names_of_design()
    assert private_uses("def f(design):\n    return design._labels\n", private) == ["2: design._labels"]
    assert private_uses("def f(d):\n    return d.routers, d.label\n", private) == []
    assert private_uses("from officenet.derive import routes\nroutes._ENTRIES.clear()\n",
                        _private_names_of_routes()) == ["2: routes._ENTRIES"]
    assert private_imports("from ..derive.routes import _walk, route\n", "routes",
                           _private_names_of_routes()) == ["1: _walk"]


def test_no_module_outside_design_or_routes_reads_their_private_names():
    design_private, routes_private = _private_names_of_design(), _private_names_of_routes()
    offenders = {}
    for root in (LIB.parent, LIB.parents[1] / "tools"):
        for path in sorted(root.rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            uses = [] if path == DESIGN else private_uses(text, design_private)
            if path != ROUTES:
                uses += private_uses(text, routes_private) + private_imports(text, "routes", routes_private)
            if uses:
                offenders[str(path.relative_to(LIB.parents[1]))] = uses
    assert offenders == {}


def test_the_design_keeps_no_cache_of_what_is_derived_from_it(design):
    """After every flow is traced and its connections walked, the design holds its tables and the
    look-ups of its simple queries, nothing else: the route indexes live in derive.routes."""
    d = multi_site(design, 2, branches=2)
    for flow in d.flows:
        trace_rows(d, flow.id)
    assert set(vars(d)) - {f.name for f in fields(d)} <= {"_index", "_outside", "_labels", "routers"}


def test_per_design_builds_once_and_forgets_a_collected_design(design):
    calls = []

    def build(d):
        calls.append(d)
        return len(d.flows)

    d = replace(design)
    assert per_design(d, build) == per_design(d, build) == len(design.flows)
    assert len(calls) == 1
    assert per_design(replace(design), build) == len(design.flows) and len(calls) == 2  # another design
    key = id(d)
    calls.clear()
    assert key in routes._ENTRIES
    del d
    gc.collect()
    assert key not in routes._ENTRIES  # the entry went with its design


def spans_by_definition(d: Design, port: Port, flow) -> list[tuple[int, int]]:
    """The reading of a port row along a path, hop by hop with ``matches`` (slow and plain)."""
    if port.traffic_type != flow.traffic_type and not d.traffic_type(port.traffic_type).carrier:
        return []
    out = set()
    for a, b in port.connections:
        for i, hop in enumerate(flow.path):
            if matches(d, a, hop):
                for j in range(i + 1, len(flow.path)):
                    if matches(d, b, flow.path[j]):
                        out.add((i, j))
                        break
                    if flow.path[j] not in d.routers:
                        break
    return sorted(out)


def test_connections_agree_with_the_definition_on_every_flow_and_port(design):
    """The hop-pair index gives exactly the spans that testing each port row one by one gives."""
    for d in (design, multi_site(design, 2, branches=3)):  # branch offices share routes
        for flow in d.flows:
            by_index = {port.id: list(spans) for port, spans in connections(d, flow)}
            by_definition = {p.id: s for p in d.ports if (s := spans_by_definition(d, p, flow))}
            assert by_index == by_definition, flow.id
            assert {p.id: s for p in d.ports if (s := spans(d, p, flow))} == by_definition
            assert [p.id for p in ports_serving(d, flow)] == [p.id for p in d.ports if p.id in by_definition]


def test_listens_opens_and_positions(design):
    flow = design.get("flows", "roaming_lync_sip")
    pos = positions(design, flow)
    for i, hop in enumerate(flow.path):
        assert i in pos[hop] and i in pos[design.zone_of(hop)]
        assert {hop, design.zone_of(hop)} <= set(ends_matching(design, hop))
    for port in ports_serving(design, flow):
        found = spans(design, port, flow)
        assert found
        for i, j in found:
            assert opens(design, port, flow.path[i]) and listens(design, port, flow.path[j])
            assert all(h in design.routers for h in flow.path[i + 1:j])


def test_a_two_way_port_listens_and_opens_at_both_ends():
    one = Port("p", "TCP", (443, 443), "a", "b", "one-way", "t", "", False, "S")
    two = Port("q", "UDP", (50000, 59999), "a", "b", "two-way", "t", "", False, "S")
    assert (one.openers, one.listeners, one.connections) == (("a",), ("b",), (("a", "b"),))
    assert (two.openers, two.listeners) == (("a", "b"), ("b", "a"))
    assert two.connections == (("a", "b"), ("b", "a"))
    assert (one.range_text(), two.range_text()) == ("443", "50000-59999")


def test_a_dns_record_reads_the_addresses_its_value_names_once(design):
    rec = design.get("dns_records", "ext_sip")
    assert rec.address_ids == ("edge_access",)
    assert replace(rec, value="{ip:dns_public} {ip:dns_public2}").address_ids == ("dns_public", "dns_public2")
    assert replace(rec, value="sip.{domain}").address_ids == ()
    named = {a.id for a in design.addresses}
    assert all(set(r.address_ids) <= named for r in design.dns_records)
    assert any(r.address_ids for r in design.dns_records) and any(not r.address_ids for r in design.dns_records)


def test_ports_at_lists_the_rows_of_a_component(design):
    rows = ports_at(design, "lync_edge")
    assert rows and all("lync_edge" in (p.from_, p.to) for p in rows)
    assert [p.id for p in rows] == [p.id for p in design.ports if "lync_edge" in (p.from_, p.to)]


# "443" or "50000-59999" written by hand: str(lo) if lo == hi else f"{lo}-{hi}", or on port[0] / port[1].
HAND_MADE_RANGE = re.compile(r"str\([\w.]+(\[0\])?\) if [\w.]+(\[0\])? == [\w.]+(\[1\])?")


def test_port_ranges_are_written_by_the_records_alone():
    assert HAND_MADE_RANGE.search('text = str(lo) if lo == hi else f"{lo}-{hi}"')
    assert HAND_MADE_RANGE.search('str(record.port[0]) if record.port[0] == record.port[1] else "%d-%d"')
    offenders = [f"{path.name}:{n}" for path in sorted(LIB.rglob("*.py")) if path.name != "records.py"
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if HAND_MADE_RANGE.search(line)]
    assert offenders == []


def test_a_hop_no_port_row_listens_on_does_not_share_the_route_of_one_that_does(design):
    """Flows share a walk when their hops look alike to every port row (routes.hop_shapes): a twin of
    the SharePoint database in the same zone, which no row names, must not inherit its SQL port."""
    twin = replace(design.component("sharepoint_db"), id="sharepoint_db_twin", name="Twin database")
    sql = design.get("flows", "sharepoint_sql")
    d = replace(design, components=design.components + (twin,),
                links=design.links + (replace(design.get("links", "sp_fe_db"), id="sp_fe_twin", b=twin.id),),
                flows=design.flows + (replace(sql, id="twin_sql", path=sql.path[:-1] + (twin.id,)),))
    assert [p.id for p, _ in connections(d, d.get("flows", "sharepoint_sql"))]  # the database receives SQL
    assert connections(d, d.get("flows", "twin_sql")) == ()  # nothing listens on the twin
    assert hop_shapes(d)["sharepoint_db"] != hop_shapes(d)[twin.id]
