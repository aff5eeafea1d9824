"""What a migration 2013 -> today's editions changes (derive.migration): differences keyed by what stays the
same across releases, each with the data row and source behind it."""
import pytest

from officenet.derive.migration import AREAS, MARKS, lifecycle_side_by_side, marked, migration, names, summary
from officenet.derive.organisation import organisation
from officenet.loading.scenario_file import load_scenario

from conftest import ROOT


@pytest.fixture(scope="module")
def orgs(design):
    before = organisation(design, load_scenario(ROOT / "scenarios" / "contoso.yaml"))
    after = organisation(design, load_scenario(ROOT / "scenarios" / "contoso-current.yaml"))
    return before, after


@pytest.fixture(scope="module")
def with_xmpp(design, orgs):
    return organisation(design, load_scenario(ROOT / "scenarios" / "contoso.yaml").with_(xmpp=True))


def test_contoso_loses_directaccess_and_gains_todays_two_egress_permits(orgs):
    frame = migration(*orgs)
    assert names(frame, "gateway", "removed") == ("in-directaccess-server-tcp-443",)
    assert names(frame, "dns", "removed") == ("external da.{domain} A", "internal nls.{internal} A")
    assert set(names(frame, "certificates", "removed")) == {"directaccess_iphttps da.{domain}",
                                                            "network_location nls.{internal}"}
    # Today's A/V Edge relays media out on UDP 50000-59999 too (SFB-EDGE), and today's SharePoint reads its
    # OpenID Connect provider's metadata (SP-OIDC); nothing else is added.
    added = frame[frame["change"] == "added"]
    assert set(zip(added["area"], added["item"], added["row"], added["source"])) == {
        ("gateway", "out-lync-edge-udp-50000-59999", "edge_av_udp_range", "SFB-EDGE"),
        ("gateway", "out-sharepoint-fe-tcp-443", "sp_oidc_443", "SP-OIDC")}


def test_a_new_product_name_is_no_difference(orgs):
    """Lync Edge is SfB Edge today: same permit ids, ports and addresses, so no row says 'changed' (the one
    Edge permit in the list is the UDP range today's Edge adds)."""
    frame = migration(*orgs)
    assert frame[frame["item"].str.contains("lync-edge")]["item"].tolist() == ["out-lync-edge-udp-50000-59999"]
    assert not len(frame[frame["change"] == "changed"])
    assert "Lync Edge" in orgs[0].artefact("gateway")["to"].tolist()
    assert "SfB Edge" in orgs[1].artefact("gateway")["to"].tolist()


def test_every_difference_names_its_sourced_row(design, orgs, with_xmpp):
    sources = {s.key for s in design.sources}
    for frame in (migration(*orgs), migration(with_xmpp, orgs[1])):
        assert len(frame)
        for r in frame.to_dict("records"):
            assert r["row"] and r["source"], r
            assert {k.strip().split(":")[0] for k in r["source"].split(";")} <= sources, r


def test_xmpp_goes_with_skype_for_business_server(with_xmpp, orgs):
    frame = migration(with_xmpp, orgs[1])
    assert {"in-lync-edge-tcp-5269", "out-lync-edge-tcp-5269"} <= set(names(frame, "gateway", "removed"))
    assert "external _xmpp-server._tcp.{domain} SRV 5269" in names(frame, "dns", "removed")
    assert "edge_xmpp" in set(frame["row"])


def test_the_other_way_round_adds_what_was_removed(orgs):
    forth, back = migration(*orgs), migration(orgs[1], orgs[0])
    assert sorted(names(forth, "dns", "removed")) == sorted(names(back, "dns", "added"))
    assert not len(migration(orgs[0], orgs[0]))


def test_a_changed_port_is_a_change(orgs):
    """Same permit id, another address: 'changed', both details shown."""
    before, after = orgs
    moved = organisation(after.design, after.scenario.with_(public_network="198.51.100.0/24"))
    frame = migration(after, moved)
    assert set(frame["change"]) == {"changed"} and "gateway" in set(frame["area"])


def test_summary_counts_every_area(orgs):
    table = summary(migration(*orgs)).set_index("area")
    assert list(table.index) == list(AREAS)
    assert table.loc["gateway", "removed"] == 1 and table.loc["dns", "added"] == 0


def test_lifecycle_on_the_same_day(orgs):
    table = lifecycle_side_by_side(*orgs, "2026-12-06")
    old = table[table["release"] == "2013"]["finding"].str.cat(sep=" | ")
    new = table[table["release"] == "current"]
    assert "out of support since 2023-04-11" in old and "successor" in old
    assert len(new) == 1 and "2026-12-31" in new["finding"].iloc[0]  # only Office Online Server, ending


def test_marked_rows_are_coloured_and_escaped(orgs):
    frame = migration(*orgs)
    frame.loc[0, "detail"] = "<b>x</b>"
    html = marked(frame).to_html()
    assert MARKS["removed"] in html and "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html


def test_marked_table_is_the_same_html_each_time(orgs):
    frame = migration(*orgs)
    assert marked(frame).to_html() == marked(frame.copy()).to_html()
    assert marked(frame).to_html() != marked(frame.iloc[:2]).to_html()

