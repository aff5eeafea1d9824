"""A table as a reader reads it: every cell's whole text, wrapping at words, inside its column.

pandas' own HTML cuts a cell at 50 characters ("...") and never wraps, so a table of reasons ran
hundreds of pixels past JupyterLab's output column. Here a cell keeps its whole text; prose wraps
between words; a long identifier may wrap after an underscore (``individual_lync_`` / ``meeting``)
and a long host name after a dot; an address, a port range or a host name never breaks inside (``198.51.100.0/24`` stays one piece).

The same markup serves JupyterLab, Voila and the handouts: a small ``<style>`` block (scoped to
``officenet-table``) plus the inline styles that JupyterLab keeps in an untrusted notebook. Pure.
"""
from __future__ import annotations

import html
import re

CLASS = "officenet-table"
# JupyterLab right-aligns and pads cells by 0.5em; these rules win over it (more specific, later).
CSS = (f"table.{CLASS}{{border-collapse:collapse;table-layout:auto;width:auto;max-width:100%;"
       "font-size:12px;line-height:1.3;margin:4px 0 12px}"
       f"table.{CLASS} th,table.{CLASS} td{{text-align:left!important;vertical-align:top;padding:2px;"
       "white-space:normal;overflow-wrap:normal;word-break:normal;hyphens:none;border:1px solid #d5d5d5;"
       "max-width:none;min-width:0}"
       f"table.{CLASS} thead th{{background:#eef2f6;vertical-align:bottom}}"
       f"table.{CLASS} .on-nb{{white-space:nowrap}}")
STYLE = f"<style>{CSS}</style>"
TABLE_STYLE = "border-collapse:collapse;table-layout:auto;width:auto;max-width:100%;font-size:12px"

# Pieces of text without spaces that must not break: an address, a network, a port or a range of
# them ("203.0.113.10/31,", "50000-59999"), a short web address, a short hyphenated key ("L-EDGEPORT").
_TOKEN = re.compile(r"\S+")
_ADDRESS = re.compile(r"^[(\[]?[0-9][0-9A-Fa-f.:/\-–]*[0-9][)\],;.]*$")
SHORT_HYPHENATED = 14  # characters: a source key or a short compound stays whole; a longer one may break
LONGEST_WHOLE = 34  # characters: a longer web address may break after '/', a longer host name after '.'
LONG_NAME = 24
# An identifier longer than this may wrap after an underscore (search the text, not the markup).
LONG_ID = 12


def _nowrap(text: str) -> str:
    return f'<span class="on-nb" style="white-space:nowrap">{text}</span>'


def _token_html(token: str) -> str:
    text = html.escape(token)
    if _ADDRESS.match(token):
        return _nowrap(text) if re.search(r"[-/–]", token) else text  # a plain number cannot break anyway
    if token.startswith(("http://", "https://")):
        return _nowrap(text) if len(token) <= LONGEST_WHOLE else text.replace("/", "/<wbr>")
    if "-" in token and len(token) <= SHORT_HYPHENATED:
        return _nowrap(text)  # L-EDGEPORT, two-way
    if len(token) > LONG_NAME and "." in token.strip(".,;") and "_" not in token:
        return text.replace(".", ".<wbr>")  # contoso-com.mail.protection.outlook.com
    if len(token) > LONG_ID and "_" in token.strip("_"):
        return text[0] + text[1:].replace("_", "_<wbr>")  # individual_lync_<wbr>meeting
    return text


def cell_html(value) -> str:
    """A cell's whole text, escaped, with the breaks a reader expects (see the module docstring)."""
    text = "" if value is None else str(value)
    if text == "nan":
        return ""
    return _TOKEN.sub(lambda m: _token_html(m.group(0)), text)


def row_html(key, values, columns, colours: dict[str, str] | None = None) -> str:
    """One body row: the index cell, then each value; a traffic-type cell in its legend colour."""
    cells = [f"<th>{cell_html(key)}</th>"]
    for column, value in zip(columns, values):
        colour = colours.get(value) if colours and column == "traffic type" else None
        style = (f' style="border-left:6px solid {html.escape(colour)};color:{html.escape(colour)};font-weight:bold"'
                 if colour else "")
        cells.append(f"<td{style}>{cell_html(value)}</td>")
    return "<tr>" + "".join(cells) + "</tr>"


def table_html(index_name: str, columns, rows: list[str]) -> str:
    """The table around body rows made by ``row_html``."""
    head = "".join(f"<th>{cell_html(c)}</th>" for c in [index_name or "", *columns])
    return (f'{STYLE}<table class="{CLASS}" style="{TABLE_STYLE}"><thead><tr>{head}</tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def frame_html(frame, colours: dict[str, str] | None = None) -> str:
    """Any DataFrame as a readable table (its index first; a MultiIndex key joined by ' · ')."""
    columns = [" · ".join(map(str, c)) if isinstance(c, tuple) else c for c in frame.columns]
    if _counting_index(frame):  # 0, 1, 2 ... says nothing: the table starts with its first column
        rows = ["<tr>" + row_html("", values, columns, colours)[len("<tr><th></th>"):] for values in
                frame.itertuples(index=False)]
        head = "".join(f"<th>{cell_html(c)}</th>" for c in columns)
        return (f'{STYLE}<table class="{CLASS}" style="{TABLE_STYLE}"><thead><tr>{head}</tr></thead><tbody>'
                + "".join(rows) + "</tbody></table>")
    names = [n for n in (frame.index.names or []) if n]
    keys = [" · ".join(map(str, k)) if isinstance(k, tuple) else k for k in frame.index]
    rows = [row_html(key, values, columns, colours) for key, values in zip(keys, frame.itertuples(index=False))]
    return table_html(" · ".join(map(str, names)), columns, rows)


def _counting_index(frame) -> bool:
    index = frame.index
    return (index.name is None and type(index).__name__ == "RangeIndex" and index.start == 0
            and index.step == 1 and len(frame.columns) > 0)
