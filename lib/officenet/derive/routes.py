"""Routes: which port rows a flow opens, hop by hop, and the indexes that answer it fast.

A port row is a connection between two ends (a component or a zone): ``from_`` opens it and
``to`` listens, or either side does for a two-way row. A flow's path is a list of hops
(components); an end "matches" a hop when it names the hop or its zone (or, for a VPN or
DirectAccess server, an internal zone). This is the vocabulary of the trace, the checks and the
gateway: they learn which rows a flow opens only from here.

**One cache, per design.** ``per_design(design, build)`` gives ``build(design)``, computed once
for each design: the route indexes below (``_index``) and the tables other derivations ask for on
every call (the trace's hop rows, the overview's edge groups, the port table's HTML). A ``Design``
never changes, so neither does what is derived from it; the design itself holds no cache.

The entries live in this module, in a dict keyed by ``id(design)``; a ``weakref.finalize`` on the
design drops its entry when the design is collected, so the key is weak in effect and no id is
reused while its entry stands. Not ``weakref.WeakKeyDictionary``: each of its look-ups makes a
weak reference to the key (measured here: 0.35 us against 0.07 us for a look-up by id), and the
trace and checks of the benchmark's 12,500-component design look up some 200,000 times. Nor a slot
on the ``Design``: the model would again carry the derivations' state. What ``build`` returns must not hold the design, or the design
would never be collected (tables of rows and strings, as here, do not). ``build`` is the key:
pass a module-level function, never a new lambda.
"""
from __future__ import annotations

import weakref
from types import MappingProxyType
from typing import Callable, Iterable, Mapping, TypeVar

from ..model.design import Design
from ..model.records import Flow, Port

T = TypeVar("T")
_MISSING = object()
_ENTRIES: dict[int, dict] = {}  # id(design) -> {build: what it built}


def per_design(design: Design, build: Callable[[Design], T]) -> T:
    """``build(design)``, computed once per design (see the module's docstring)."""
    entry = _ENTRIES.get(id(design))
    if entry is None:
        entry = _ENTRIES[id(design)] = {}
        weakref.finalize(design, _ENTRIES.pop, id(design), None)
    found = entry.get(build, _MISSING)
    if found is _MISSING:
        found = entry[build] = build(design)
    return found


class _Index:
    """The route indexes of one design. Plain numbers, strings and tuples of them: cheap to hash
    and compare in ``connections``, which asks for millions, and tuples of strings the garbage
    collector stops tracking (it cannot stop tracking sets; a large design has thousands of hops)."""

    __slots__ = ("ports", "carriers", "hop_ends", "row_position", "row_type", "by_ends", "opening", "listening",
                 "shapes", "pair_rows", "by_route", "shared")

    def __init__(self, design: Design):
        self.ports = design.ports
        # Traffic types of tunnels, which carry any other traffic type.
        self.carriers = frozenset(t.id for t in design.traffic_types if t.carrier)
        internal = tuple(z.id for z in design.zones if z.kind == "internal")
        # Component id -> the port ends that match it as a hop: itself and its zone. A VPN or
        # DirectAccess server puts its clients on the intranet: what leaves the tunnel is opened
        # like an internal client's connection.
        self.hop_ends = MappingProxyType({
            c.id: tuple(dict.fromkeys((c.id, c.zone) + (internal if c.kind == "remote_access" else ())))
            for c in design.components})
        # (opener, listener) -> the numbers of the rows with those ends (both orders for two-way
        # rows); a row's number gives its port's position in the table and its traffic type. Tuples of
        # numbers, grown as tuples: the collector stops tracking them, where a list or a tuple of
        # tuples per pair of ends would live on as long-lived objects it walks again and again.
        by_ends: dict[tuple[str, str], tuple[int, ...]] = {}
        row_position, row_type = [], []
        for position, p in enumerate(design.ports):
            for pair in dict.fromkeys(p.connections):
                by_ends[pair] = by_ends.get(pair, ()) + (len(row_position),)
                row_position.append(position)
                row_type.append(p.traffic_type)
        self.row_position, self.row_type = tuple(row_position), tuple(row_type)
        self.by_ends = MappingProxyType(by_ends)
        # Component id -> those of its ends that open (listen on) some port row. Hops with the same
        # such ends share answers in ``pair_rows``: the thousands of branch offices of a large
        # design, which no row names, open what their zone opens.
        opening, listening = {a for a, _ in by_ends}, {b for _, b in by_ends}
        self.opening = MappingProxyType({h: tuple(e for e in ends if e in opening) for h, ends in self.hop_ends.items()})
        self.listening = MappingProxyType({h: tuple(e for e in ends if e in listening) for h, ends in self.hop_ends.items()})
        # Component id -> a number for all that port rows see of it as a hop: the ends it opens and
        # listens on, its kind, inside or outside. Two flows with the same traffic type whose hops
        # have the same numbers trace and check alike (the same route from thousands of offices).
        numbers: dict[tuple, int] = {}
        self.shapes = MappingProxyType({c.id: numbers.setdefault(
            (self.opening[c.id], self.listening[c.id], c.kind, design.is_outside(c.id)), len(numbers))
            for c in design.components})
        self.pair_rows: dict = {}  # (opening ends, listening ends) -> rows between two such hops
        self.by_route: dict = {}  # route -> connections: flows along the same route share the walk
        self.shared: dict = {}  # one answer per distinct set of (port, spans)


def _index(design: Design) -> _Index:
    return per_design(design, _Index)


# --- matching ends to hops ------------------------------------------------------


def matches(design: Design, endpoint: str, hop: str) -> bool:
    """True when a port row's end ``endpoint`` is the component ``hop`` of a path: the component
    itself, its zone, or (for a VPN or DirectAccess server) an internal zone."""
    ends = _index(design).hop_ends.get(hop)
    if ends is None:
        return endpoint == hop or endpoint == design.zone_of(hop)  # not a component: KeyError names the ids
    return endpoint in ends


def ends_matching(design: Design, hop: str) -> tuple[str, ...]:
    """The port ends that match the component ``hop`` (see ``matches``)."""
    ends = _index(design).hop_ends.get(hop)
    if ends is None:
        design.component(hop)  # not a component: KeyError names the ids
    return ends


def listens(design: Design, port: Port, hop: str) -> bool:
    """True when ``hop`` may receive ``port``'s connection (either end of a two-way row)."""
    return any(matches(design, end, hop) for end in port.listeners)


def opens(design: Design, port: Port, hop: str) -> bool:
    """True when ``hop`` may open ``port``'s connection (either end of a two-way row)."""
    return any(matches(design, end, hop) for end in port.openers)


def positions(design: Design, flow: Flow) -> dict[str, list[int]]:
    """Port end -> the indexes of the hops of ``flow``'s path it matches, in order: one small index
    per flow answers "does this end match that hop" for every port and hop of the flow."""
    index: dict[str, list[int]] = {}
    hop_ends = _index(design).hop_ends
    for i, hop in enumerate(flow.path):
        ends = hop_ends.get(hop)
        if ends is None:
            ends = (hop, design.zone_of(hop))  # not a component: KeyError names the ids
        for end in ends:
            if end in index:
                index[end].append(i)
            else:
                index[end] = [i]
    return index


def spans(design: Design, port: Port, flow: Flow) -> list[tuple[int, int]]:
    """Hop index pairs (i, j) of ``flow``'s path where ``port``'s connection runs from hop i to hop
    j: its ends match in order (either order for a two-way row), only routers lie between them
    (every other hop, such as an Edge, a VIP or a tunnel server, ends a connection and opens
    another), and it carries the flow's traffic type or is a tunnel that carries any."""
    if port.traffic_type != flow.traffic_type and port.traffic_type not in _index(design).carriers:
        design.traffic_type(port.traffic_type)  # an unknown traffic type: KeyError names the ids
        return []
    pos, path, gate = positions(design, flow), flow.path, design.routers
    out = set()
    for a, b in port.connections:
        ends = pos.get(b, ())
        for i in pos.get(a, ()):
            for j in range(i + 1, len(path)):
                if j in ends:
                    out.add((i, j))
                    break
                if path[j] not in gate:
                    break
    return sorted(out)


# --- routes and connections -----------------------------------------------------------


def hop_shapes(design: Design) -> Mapping[str, int]:
    """Component id -> a number for all that port rows see of it as a hop (see ``_Index``)."""
    return _index(design).shapes


def route(design: Design, flow: Flow) -> tuple:
    """What all a flow opens depends on: its traffic type and the shape of each hop (``hop_shapes``).
    Flows with the same route open the same connections, trace alike and pass or fail the same checks."""
    shapes = _index(design).shapes
    try:
        return (flow.traffic_type, *[shapes[hop] for hop in flow.path])
    except KeyError:
        for hop in flow.path:
            design.component(hop)  # not a component: KeyError names the ids
        raise


def connections(design: Design, flow: Flow) -> tuple[tuple[Port, tuple[tuple[int, int], ...]], ...]:
    """(port, spans) of every port row opened along ``flow``, in table order (see ``spans``).

    Rather than test every port against the flow, walk the hop pairs (i, j) that a connection could
    span (only routers between them) and take the rows whose (opener, listener) ends match that pair
    of hops. One answer is shared by the flows that open the same connections: few new objects for
    Python's garbage collector to track."""
    index = _index(design)
    key = route(design, flow)  # the same route from many branch offices is walked once
    found = index.by_route.get(key)
    if found is None:
        found = index.by_route[key] = _walk(design, index, flow)
    return found


def _walk(design: Design, index: _Index, flow: Flow) -> tuple[tuple[Port, tuple[tuple[int, int], ...]], ...]:
    """``connections`` of one flow, worked out hop pair by hop pair."""
    path, gate, carriers, tt = flow.path, design.routers, index.carriers, flow.traffic_type
    pair_rows, opening, listening = index.pair_rows, index.opening, index.listening
    row_position, row_type = index.row_position, index.row_type
    found_spans: dict[int, tuple[tuple[int, int], ...]] = {}  # port position -> its spans, ascending
    for i in range(len(path) - 1):
        matched = set()  # rows seen from hop i: a connection ends at its first match
        ends_a = opening.get(path[i])
        if ends_a is None:
            design.component(path[i])  # not a component: KeyError names the ids
        for j in range(i + 1, len(path)):
            ends_b = listening.get(path[j])
            if ends_b is None:
                design.component(path[j])
            rows = pair_rows.get((ends_a, ends_b))
            if rows is None:
                rows = pair_rows[(ends_a, ends_b)] = _rows_between(index.by_ends, ends_a, ends_b)
            for number in rows:
                traffic_type = row_type[number]
                if (traffic_type != tt and traffic_type not in carriers) or number in matched:
                    continue
                matched.add(number)
                position = row_position[number]
                port_spans = found_spans.get(position)
                if port_spans is None:
                    found_spans[position] = ((i, j),)
                elif port_spans[-1] != (i, j):  # not the same span through another pair of ends
                    found_spans[position] = port_spans + ((i, j),)
            if path[j] not in gate:
                break
    key = tuple(sorted(found_spans.items()))
    found = index.shared.get(key)
    if found is None:
        ports = index.ports
        found = index.shared[key] = tuple((ports[position], port_spans) for position, port_spans in key)
    return found


def _rows_between(by_ends, ends_a: tuple[str, ...], ends_b: tuple[str, ...]) -> tuple[int, ...]:
    """The rows that a hop with ends ``ends_a`` may open to a hop with ends ``ends_b``."""
    parts = [rows for a in ends_a for b in ends_b if (rows := by_ends.get((a, b)))]
    return parts[0] if len(parts) == 1 else tuple(row for part in parts for row in part)


# --- port rows by flow and by component ---------------------------------------------


def ports_serving(design: Design, flow: Flow) -> tuple[Port, ...]:
    """The port rows opened along ``flow``, in table order."""
    return tuple([port for port, _ in connections(design, flow)])


def _port_position(design: Design) -> Mapping[str, int]:
    return MappingProxyType({p.id: i for i, p in enumerate(design.ports)})


def ports_for(design: Design, flows: Iterable[Flow]) -> tuple[Port, ...]:
    """Port rows serving any of ``flows``, in table order."""
    flows = tuple(flows)
    if len(flows) == 1:
        return ports_serving(design, flows[0])
    position = per_design(design, _port_position)
    wanted = {p.id: p for f in flows for p in ports_serving(design, f)}
    return tuple(sorted(wanted.values(), key=lambda p: position[p.id]))


def _ports_by_component(design: Design) -> Mapping[str, tuple[Port, ...]]:
    index: dict[str, list[Port]] = {}
    for p in design.ports:
        for end in dict.fromkeys((p.from_, p.to)):
            index.setdefault(end, []).append(p)
    return MappingProxyType({k: tuple(v) for k, v in index.items()})


def ports_at(design: Design, component: str) -> tuple[Port, ...]:
    """The port rows that have ``component`` as one of their ends, in table order."""
    return per_design(design, _ports_by_component).get(component, ())
