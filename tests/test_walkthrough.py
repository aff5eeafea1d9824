"""Authentication and flows: tables and the explorer of notebook 04."""
from officenet.explorers.walkthrough_explorers import AuthExplorer
from officenet.derive.walkthrough import anonymous_lync, auth_rows, exchange_vdirs

from conftest import check_golden


def test_auth_explorer_redraws_per_user_type(design):
    ex = AuthExplorer(design)
    partner = ex.output.value
    assert "Federation trust" in partner and "er_aol_pic" in partner and "June 2014" in partner
    ex.controls["user_type"].value = "roaming_employees"
    roaming = ex.output.value
    assert roaming != partner and "<svg" in roaming
    assert "TLS-DSK" in roaming and "https://mail.contoso.com/owa" in roaming and "er_aol_pic" not in roaming
    ex.controls["product"].value = "sharepoint"
    assert "intranet.contoso.com" in ex.output.value and "TLS-DSK" not in ex.output.value


def test_auth_rows_name_the_pic_correction(design):
    rows = auth_rows(design, "partner_companies", "lync")
    assert rows.loc["partner_lync_pic", "correction"] == "er_aol_pic"


def test_exchange_vdirs_defaults(design):
    vdirs = exchange_vdirs(design)
    assert vdirs.loc["activesync", "IIS authentication"] == "Basic"
    assert "Forms-based" in vdirs.loc["owa", "Exchange-level"]
    assert (vdirs["on the poster"] == "yes").sum() == 7
    check_golden("tables/exchange_vdirs.csv", vdirs.to_csv(lineterminator="\n"))


def test_anonymous_users_only_join_meetings(design):
    frame = anonymous_lync(design)
    assert frame.iloc[0]["detail"] == "Anonymous: Only meetings organised by employees"
    assert len(frame) == 1 + len(design.select_flows(user_type="individual_partners", product="lync"))


def test_walkthrough_notebooks_end_with_a_decision():
    import nbformat
    from conftest import ROOT
    for name in ("03-dns", "04-authentication-and-flows"):
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        last = [c for c in nb.cells if "nav" not in c.metadata.get("tags", [])][-1]  # before the navigation cell
        assert last.cell_type == "markdown" and last.source.startswith("## Decision"), name
        checked = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("# NBVAL_CHECK_OUTPUT")]
        assert len(checked) >= 4 and all(c.outputs for c in checked), name
