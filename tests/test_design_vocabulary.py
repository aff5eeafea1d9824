"""Design's public vocabulary for connections: the only way the trace, the checks and the
gateway learn which port rows a flow opens; nothing outside design.py reads Design's
private attributes."""
import ast
import re
from dataclasses import replace
from pathlib import Path

from officenet.model.design import Design
from officenet.model.records import Port
from officenet.loading.synthetic import multi_site

LIB = Path(__file__).resolve().parents[1] / "lib" / "officenet"


def _private_names() -> set[str]:
    """Private attributes that Design defines: methods, cached properties, fields."""
    tree = ast.parse((LIB / "model" / "design.py").read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Design")
    names = set()
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
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


def test_design_has_private_attributes_to_guard():
    assert {"_index", "_hop_endpoints", "_ports_by_ends"} <= _private_names()


def test_the_scan_finds_a_private_read():
    private = _private_names()
    assert private_uses("def f(design):\n    return design._hop_endpoints\n", private) == [
        "2: design._hop_endpoints"]
    assert private_uses("def f(d):\n    return d.routers, d.spans\n", private) == []


def test_no_module_outside_design_reads_its_private_attributes():
    private = _private_names()
    roots = [LIB.parent, LIB.parents[1] / "tools"]
    offenders = {}
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if path == LIB / "model" / "design.py":
                continue
            uses = private_uses(path.read_text(encoding="utf-8"), private)
            if uses:
                offenders[str(path.relative_to(LIB.parents[1]))] = uses
    assert offenders == {}


def spans_by_definition(d: Design, port: Port, flow) -> list[tuple[int, int]]:
    """The reading of a port row along a path, hop by hop with ``matches`` (slow and plain)."""
    if port.traffic_type != flow.traffic_type and not d.traffic_type(port.traffic_type).carrier:
        return []
    out = set()
    for a, b in port.connections:
        for i, hop in enumerate(flow.path):
            if d.matches(a, hop):
                for j in range(i + 1, len(flow.path)):
                    if d.matches(b, flow.path[j]):
                        out.add((i, j))
                        break
                    if flow.path[j] not in d.routers:
                        break
    return sorted(out)


def test_connections_agree_with_the_definition_on_every_flow_and_port(design):
    """The hop-pair index gives exactly the spans that testing each port row one by one gives."""
    for d in (design, multi_site(design, 2, branches=3)):  # branch offices share routes
        for flow in d.flows:
            by_index = {port.id: list(spans) for port, spans in d.connections(flow)}
            by_definition = {p.id: s for p in d.ports if (s := spans_by_definition(d, p, flow))}
            assert by_index == by_definition, flow.id
            assert {p.id: s for p in d.ports if (s := d.spans(p, flow))} == by_definition
            assert [p.id for p in d.ports_serving(flow)] == [p.id for p in d.ports if p.id in by_definition]


def test_listens_opens_and_positions(design):
    flow = design.get("flows", "roaming_lync_sip")
    pos = design.positions(flow)
    for i, hop in enumerate(flow.path):
        assert i in pos[hop] and i in pos[design.zone_of(hop)]
    for port in design.ports_serving(flow):
        spans = design.spans(port, flow)
        assert spans
        for i, j in spans:
            assert design.opens(port, flow.path[i]) and design.listens(port, flow.path[j])
            assert all(h in design.routers for h in flow.path[i + 1:j])


def test_a_two_way_port_listens_and_opens_at_both_ends():
    one = Port("p", "TCP", (443, 443), "a", "b", "one-way", "t", "", False, "S")
    two = Port("q", "UDP", (50000, 59999), "a", "b", "two-way", "t", "", False, "S")
    assert (one.openers, one.listeners, one.connections) == (("a",), ("b",), (("a", "b"),))
    assert (two.openers, two.listeners) == (("a", "b"), ("b", "a"))
    assert two.connections == (("a", "b"), ("b", "a"))
    assert (one.range_text(), two.range_text()) == ("443", "50000-59999")


def test_ports_at_lists_the_rows_of_a_component(design):
    rows = design.ports_at("lync_edge")
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
    """Flows share a walk when their hops look alike to every port row (Design.hop_shapes): a twin of
    the SharePoint database in the same zone, which no row names, must not inherit its SQL port."""
    twin = replace(design.component("sharepoint_db"), id="sharepoint_db_twin", name="Twin database")
    sql = design.get("flows", "sharepoint_sql")
    d = replace(design, components=design.components + (twin,),
                links=design.links + (replace(design.get("links", "sp_fe_db"), id="sp_fe_twin", b=twin.id),),
                flows=design.flows + (replace(sql, id="twin_sql", path=sql.path[:-1] + (twin.id,)),))
    assert [p.id for p, _ in d.connections(d.get("flows", "sharepoint_sql"))]  # the database receives SQL
    assert d.connections(d.get("flows", "twin_sql")) == ()  # nothing listens on the twin
    assert d.hop_shapes["sharepoint_db"] != d.hop_shapes[twin.id]
