"""Long tables sort and filter in the kernel, offline; without a kernel they show every row."""
import re

import pandas as pd

import officenet
from officenet.explorers.table_explorer import TableExplorer, natural_key, select_rows


def test_filter_keeps_rows_holding_every_word_and_sort_is_natural(design):
    allow = officenet.gateway_allow_list(design)
    inbound_443 = select_rows(allow, "INBOUND 443")
    assert len(inbound_443) and all(r["direction"] == "inbound" and "443" in " ".join(map(str, r)) for _, r in inbound_443.iterrows())
    ports = select_rows(pd.DataFrame({"ports": ["5061", "443", "50000-59999", "80"]}), sort_by="ports")["ports"].tolist()
    assert ports == ["80", "443", "5061", "50000-59999"]
    assert natural_key("10.0.0.9") < natural_key("10.0.0.10")


def test_explorer_redraws_and_shows_every_row_without_a_kernel(design):
    table = officenet.allow_list_table(design, officenet.gateway_allow_list(design))
    ex = TableExplorer(table, "Allow list")
    everything = ex.output.value
    ex.filter.value = "outbound 53"
    assert ex.output.value != everything and f"of {len(table.data)} rows" in ex.count.value
    assert all("outbound" in row for row in ex.output.value.split("<tr>")[2:])
    ex.filter.value = "no-such-word"
    assert "No row holds" in ex.output.value
    bundle = ex._repr_mimebundle_()
    assert bundle["text/html"].count("<tr>") == len(table.data) + 1  # the handout: every row
    text = re.sub(r"<[^>]+>", "", bundle["text/html"])
    assert "from address" not in text and "Lync Edge (203.0.113.10/31, 203.0.113.12)" in text
    assert "inbound TCP 443" in text and "outbound UDP 53" in text
