"""The requirements ledger (data/requirements.csv) is complete, and docs/review.md is generated from it."""
import dataclasses

import pytest

import officenet
from officenet.edge.exports import export_texts
from officenet.derive.organisation import organisation
from officenet.derive.requirements import (LEFT_OUT_KINDS, PAGES, ledger, ledger_rows, left_out_summary, release_designs,
                                           requirement_table, review_markdown, unheld, unheld_in)
from officenet.loading.scenario_file import load_scenario

from conftest import ROOT
from helpers import only_problem


# The organisation each release's rows are checked against: contoso, on the poster's products and on today's
# (the same organisation, so its zone files have the same names in both).
EXAMPLES = {"2013": "contoso.yaml", "current": "contoso-current.yaml"}


def export_names(design, scenario_file: str) -> set[str]:
    return set(export_texts(organisation(design, load_scenario(ROOT / "scenarios" / scenario_file, design)), serial=1))


@pytest.fixture(scope="module")
def export_files(design):
    """Release id -> the file names of contoso's export folder in that release."""
    files = {release: export_names(design, name) for release, name in EXAMPLES.items()}
    assert files.keys() == {r.id for r in design.releases}
    return files


def test_every_requirement_is_held_by_what_exists_or_left_out_with_a_reason(design, export_files):
    assert unheld(design, export_files) == []
    for r, _ in ledger_rows(design):
        if r.status == "left_out":
            assert len(r.left_out) > 15, r.id


def test_each_release_checks_its_own_rows_with_its_own_design(design):
    designs = release_designs(design)
    assert [d.release for d in designs] == ["2013", "current"] and designs[0] is design
    in_2013, in_current = ({r.id for r in d.requirements} for d in designs)
    assert {"xs_lb_two_roles", "sp_se_tls12_floor"} <= in_current - in_2013  # today's editions only
    assert {"x_lb_layer4", "l_ci_default_sans"} <= in_2013 - in_current  # the poster's only
    assert "o365ip_refresh" in in_2013 & in_current  # both


def test_a_statement_held_differently_per_release_is_one_row_each_side_by_side(design):
    rows = [(r.id, releases) for r, releases in ledger_rows(design)]
    at = rows.index(("xs_lb_no_affinity", ("2013",)))
    assert rows[at + 1] == ("xs_lb_no_affinity", ("current",))
    mine = [r for r, _ in ledger_rows(design) if r.id == "xs_lb_no_affinity"]
    assert [r.holders[0] for r in mine] == ["lb_rules:exchange_none", "lb_rules:exchange_web_none"]


def test_a_reference_valid_only_in_the_other_release_is_reported(data_copy, export_files):
    # Each row is checked in its own release: a holder or export file of the other release does not hold it.
    from helpers import edit
    edit(data_copy, "requirements", "oos_cert_san", held_in="components:exchange_cas")  # current row, 2013 component
    edit(data_copy, "requirements", "x_lb_layer4", held_in="lb_rules:exchange_web_layer7")  # 2013 row, current rule
    edit(data_copy, "requirements", "xs_cert_commercial", held_in="components:directaccess_server")  # both: gone today
    edit(data_copy, "requirements", "oos_https_only_sfb", exports="dns/directaccess-nrpt.ps1")  # 2013's export only
    report = unheld(officenet.load(data_copy), export_files)
    assert sorted(line.split(":")[0] for line in report) == sorted([
        "oos_cert_san in current", "x_lb_layer4 in 2013", "xs_cert_commercial in current",
        "oos_https_only_sfb in current"]), report
    assert "xs_cert_commercial in current: components:directaccess_server is no row of its design" in report
    assert "oos_https_only_sfb in current: export file dns/directaccess-nrpt.ps1 is not in its export" in report


def test_a_release_without_an_export_to_check_against_is_reported(design, export_files):
    report = unheld(design, {"2013": export_files["2013"]})
    assert report[0] == "release current: no export given to check its rows' export files against"
    assert any(line.startswith("oos_cert_san in current: export file") for line in report)


def test_every_reconciled_page_has_rows_and_the_counts_add_up(design):
    counts = ledger(design)
    every = ledger_rows(design)
    assert list(counts.index) == list(PAGES)
    assert (counts["requirements"] > 0).all(), counts[counts["requirements"] == 0]
    assert counts["requirements"].sum() == len(every) == counts["held"].sum() + counts["left out"].sum()
    assert {s.key for s in design.sources} >= set(PAGES)
    assert len(every) >= 150


def test_the_current_editions_are_reconciled_too(design):
    table = requirement_table(design)
    assert set(table["release"]) == {"2013", "current", "both"}
    assert (table["release"] == "current").sum() >= 20
    # every row of requirements.csv is one row of the ledger: none lost, none twice
    assert len(ledger_rows(design)) == len((ROOT / "data" / "requirements.csv").read_text().strip().splitlines()) - 1


def test_the_review_sheet_is_current():
    # docs/review.md is what an architect signs: it must say what the data says today.
    written = (ROOT / "docs" / "review.md").read_text(encoding="utf-8")
    assert written == review_markdown(officenet.load()), "docs/review.md is stale: run python tools/review_sheet.py"


def test_the_review_sheet_lists_every_requirement_with_status_and_source(design):
    text = review_markdown(design)
    for r, releases in ledger_rows(design):
        label = "both" if len(releases) == 2 else releases[0]
        line = next(li for li in text.splitlines() if li.startswith(f"| `{r.id}` | {label} |"))
        assert ("**held**" if r.status == "held" else "**left out**") in line and r.page in line
    assert text.count("\n| `") == len(ledger_rows(design))


def test_a_reference_to_a_missing_row_check_or_export_is_reported(design, export_files):
    first = next(r for r in design.requirements if r.status == "held")
    broken = [dataclasses.replace(first, id="gone_row", held_in="ports:no_such_port"),
              dataclasses.replace(first, id="gone_check", held_in="checks:no_such_check"),
              dataclasses.replace(first, id="no_table", held_in="no_such_table:x"),
              dataclasses.replace(first, id="no_colon", held_in="ports"),
              dataclasses.replace(first, id="gone_export", exports="acl/no-such-file.acl"),
              dataclasses.replace(first, id="no_page", source="OFFICENET: our choice")]
    mine = dataclasses.replace(design, requirements=tuple(broken))
    assert [line.split(":")[0] for line in unheld_in(mine, export_files["2013"])] == [
        f"{name} in 2013" for name in ("gone_row", "gone_check", "no_table", "no_colon", "gone_export", "no_page")]
    # every listed page with no row in any release is reported: here those of neither the first row nor today's rows
    kept = {first.page} | {r.page for r in release_designs(design)[1].requirements}
    report = unheld(mine, export_files)
    assert [line.split(":")[0] for line in report if line.startswith("page ")] == [
        f"page {key}" for key in PAGES if key not in kept]


def test_a_design_loads_whatever_its_requirements_name_the_ledger_reports_it(data_copy):
    # held_in is checked by unheld, not the loader: a design of another release lacks some 2013 rows
    # a requirement names, and must still load.
    from helpers import edit
    row = next(r for r in officenet.load().requirements if any(t.startswith("checks:") for t in r.holders))
    edit(data_copy, "requirements", row.id, held_in="checks:no_such_check")
    report = unheld_in(officenet.load(data_copy), set())
    assert f"{row.id} in 2013: checks:no_such_check is no row of its checks or gateway options" in report


def test_a_held_requirement_naming_nothing_is_a_load_error(data_copy):
    row = next(r for r in officenet.load().requirements if r.status == "held")
    line, problem = only_problem(data_copy, "requirements", row.id, held_in="", exports="")
    assert (problem.file, problem.row, problem.column) == ("requirements.csv", line, "status")


def test_a_left_out_requirement_without_a_reason_is_a_load_error(data_copy):
    row = next(r for r in officenet.load().requirements if r.status == "left_out")
    line, problem = only_problem(data_copy, "requirements", row.id, left_out="")
    assert (problem.file, problem.row, problem.column) == ("requirements.csv", line, "left_out")


def test_the_table_escapes_what_markdown_would_break(design):
    first = design.requirements[0]
    odd = dataclasses.replace(first, requirement="a | b\nc <token>.mail & co")
    text = review_markdown(dataclasses.replace(design, requirements=(odd,) + design.requirements[1:]))
    assert "a \\| b c &lt;token&gt;.mail &amp; co" in text
    assert requirement_table(design).loc[first.id, "source"] == first.source


def test_every_left_out_requirement_has_one_kind_and_the_kinds_add_up(design):
    summary = left_out_summary(design)
    left = [r for r, _ in ledger_rows(design) if r.status == "left_out"]
    assert summary["requirements"].sum() == len(left)
    # no dead kind: every prefix begins the reason of some row
    for prefix, kind in LEFT_OUT_KINDS:
        assert any(r.left_out.startswith(prefix) for r in left), (prefix, kind)
    assert summary.loc["gap found by this reconciliation", "requirements"] > 0


def test_every_table_of_the_review_sheet_has_as_many_cells_per_row_as_its_header(design):
    # A pipe or line break left in a cell would shift the columns an architect reads.
    import re
    odd = dataclasses.replace(design.requirements[0], requirement="a | b\nc", left_out="", source="L-CERTINT: x | y")
    text = review_markdown(dataclasses.replace(design, requirements=(odd,) + design.requirements[1:]))
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append(len(re.split(r"(?<!\\)\|", line)) - 2)
        elif current:
            tables.append(current)
            current = []
    assert len(tables) >= 3 + len({r.product for r, _ in ledger_rows(design)})
    for widths in tables:
        assert set(widths) == {widths[0]}, widths


def test_a_requirement_citing_two_pages_is_a_load_error(data_copy):
    # one row, one statement, one page: the count per page would otherwise be ambiguous
    row = officenet.load().requirements[0]
    line, problem = only_problem(data_copy, "requirements", row.id, source="L-CERTINT: a; L-CERTEXT: b")
    assert (problem.file, problem.row, problem.column) == ("requirements.csv", line, "source")


def test_the_review_sheet_renders_one_html_row_per_requirement_and_shows_every_placeholder(design):
    # What a reader of docs/review.md sees: a Markdown renderer's HTML (markdown-it, as Jupyter uses).
    markdown_it = pytest.importorskip("markdown_it")
    import html
    import re
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(review_markdown(design))
    rows = re.findall(r"<tr>\s*<td><code>([a-z0-9_]+)</code></td>", rendered)
    assert sorted(rows) == sorted(r.id for r, _ in ledger_rows(design))
    shown = html.unescape(re.sub(r"<[^>]+>", " ", rendered))
    for r, _ in ledger_rows(design):
        for placeholder in re.findall(r"<[a-z ]+>", r.requirement):
            assert placeholder in shown, (r.id, placeholder)
    assert rendered.count("<table>") == 3 + len({r.product for r, _ in ledger_rows(design)}) + 1
