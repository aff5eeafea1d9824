"""Measuring the widget forms of a page as a browser shows them: drop-downs, labels and what overflows.

``DROPDOWNS`` returns, for every visible drop-down: its name, the select's width, whether its chosen
value and its longest option fit inside the select (text measured in the select's own font, plus its
padding and arrow), and whether its name is cut (``scrollWidth > clientWidth``). ``FORM_FIT`` returns,
for the controls inside a root element, those whose box runs past the right edge of the output that
holds them and the labels whose text is cut, and whether the page scrolls sideways.
"""
from __future__ import annotations

DROPDOWNS = r"""() => {
  const ctx = document.createElement('canvas').getContext('2d');
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  return [...document.querySelectorAll('.widget-dropdown')].filter(visible).map(d => {
    const s = d.querySelector('select'), cs = getComputedStyle(s);
    ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const widths = [...s.options].map(o => ctx.measureText(o.text).width);
    const chosen = s.selectedIndex >= 0 ? widths[s.selectedIndex] : 0;
    const label = d.querySelector('.widget-label');
    const named = label && visible(label);
    return {name: named ? label.textContent : '', width: Math.round(s.getBoundingClientRect().width),
            value: s.selectedIndex >= 0 ? s.options[s.selectedIndex].text : '',
            valueCut: chosen > room + 0.5, longestCut: Math.max(0, ...widths) > room + 0.5,
            labelCut: named ? label.scrollWidth > label.clientWidth : false};
  });
}"""

FORM_FIT = r"""(rootSelector) => {
  const root = document.querySelector(rootSelector);
  if (!root) return null;
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const box = (root.closest('.jp-OutputArea-output') || root).getBoundingClientRect();
  const controls = [...root.querySelectorAll('.widget-dropdown, .widget-text, .widget-checkbox, button, ' +
                                             '.widget-label, select, input')].filter(visible);
  const name = e => (e.textContent || e.value || e.className || '').trim().slice(0, 60);
  const out = controls.filter(e => e.getBoundingClientRect().right > box.right + 1 ||
                                   e.getBoundingClientRect().left < box.left - 1).map(name);
  const cut = [...root.querySelectorAll('.widget-label, .widget-label-basic, label')].filter(visible)
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(name);
  return {controls: controls.length, outside: out, cut: cut, outputWidth: Math.round(box.width),
          formRight: Math.round(Math.max(...controls.map(e => e.getBoundingClientRect().right)) - box.left),
          sideways: document.scrollingElement.scrollWidth > window.innerWidth + 1};
}"""


def dropdown_problems(found: list[dict], min_width: int = 150) -> list[str]:
    """Each drop-down narrower than ``min_width``, or whose value, longest option or name is cut."""
    out = []
    for d in found:
        what = d["name"] or d["value"]
        if d["width"] < min_width:
            out.append(f"{what!r}: {d['width']} px wide")
        if d["valueCut"] or d["longestCut"]:
            out.append(f"{what!r}: its value or an option is cut")
        if d["labelCut"]:
            out.append(f"{what!r}: its name is cut")
    return out
