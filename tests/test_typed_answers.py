"""Typed answers between derivations: the permits and the address plan travel as tuples of frozen
records, read by attribute; ``frame()`` makes the table only where one is shown."""
import dataclasses
import pickle

import pandas as pd
import pytest

from officenet.derive.addresses import AddressPlan, PlannedAddress, address_plan, ip_map, lookup
from officenet.derive.gateway import ALLOW_LIST_COLUMNS, Permit, Permits, gateway_allow_list, permits


def test_permits_are_typed_and_frame_is_the_allow_list(design):
    rows = permits(design)
    assert isinstance(rows, Permits) and rows and all(isinstance(r, Permit) for r in rows)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rows[0].name = "changed"
    frame = rows.frame()
    assert list(frame.columns) == ALLOW_LIST_COLUMNS and list(frame.index) == [r.name for r in rows]
    pd.testing.assert_frame_equal(frame, gateway_allow_list(design))
    first = frame.iloc[0]
    assert (first["from"], first["to"]) == (design.label(rows[0].from_), design.label(rows[0].to))
    again = pickle.loads(pickle.dumps(rows))  # a worker process gets the same answer, frame and all
    assert tuple(again) == tuple(rows) and list(again.frame().index) == list(frame.index)


def test_the_address_plan_is_typed_and_moves_into_the_networks(design):
    plan = address_plan(design, public_network="192.0.2.0/24", internal_network="10.20.0.0/16")
    assert isinstance(plan, AddressPlan) and len(plan) == len(design.addresses)
    assert all(isinstance(row, PlannedAddress) for row in plan)
    assert [row.id for row in plan] == [a.id for a in design.addresses]
    moved = [(row, a) for row, a in zip(plan, design.addresses) if ":" not in a.address]  # IPv6 placeholders stay
    assert moved
    for row, a in moved:  # the host number stays, the network changes
        assert row.address.split(".")[-1] == a.address.split(".")[-1]
        assert row.address.startswith("192.0.2." if a.view == "external" else "10.20.")
    frame = plan.frame()
    assert list(frame.columns) == list(AddressPlan.COLUMNS) and list(frame["id"]) == [row.id for row in plan]
    assert ip_map(plan) == dict(zip(frame["id"], frame["address"]))
    edge = next(row for row in plan if row.component and row.view == "external")
    assert lookup(plan, edge.component, "external") == edge.address
    with pytest.raises(ValueError, match="no internal address for the component 'nowhere'"):
        lookup(plan, "nowhere", "internal")
