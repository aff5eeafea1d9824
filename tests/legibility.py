"""Measuring how readable the diagrams of a page are, as a browser shows them.

``measure(page, root)`` runs in the page and returns, for every visible diagram (an SVG drawn
by Graphviz inside ``root``): its on-screen width, the smallest on-screen text size (the text's
font size times the SVG's current scale), how many texts are below 9 and 7 px, how many pairs of
text boxes overlap, the legend's entries whose colour is on no edge, the legend's share of the
diagram's area, and whether the diagram or the page scrolls sideways.

A legend is either an HTML table marked ``officenet-legend`` beside the SVG (each entry's swatch
carries ``data-colour``) or, in older pictures, a Graphviz cluster named ``cluster_legend`` inside it.
"""
from __future__ import annotations

MEASURE = r"""(rootSelector) => {
  const roots = [...document.querySelectorAll(rootSelector)];
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const norm = c => (c || '').trim().toLowerCase();
  const out = [];
  const svgs = roots.flatMap(r => [...r.querySelectorAll('svg')]).filter(s => s.querySelector('g.graph') && visible(s));
  for (const svg of svgs) {
    const ctm = svg.getScreenCTM();
    const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
    const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim());
    const sizes = texts.map(t => parseFloat(t.getAttribute('font-size') || getComputedStyle(t).fontSize) * scale);
    const boxes = texts.map(t => t.getBoundingClientRect());
    let overlaps = 0;
    const pairs = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      // glyph boxes of stacked lines touch by a pixel or two: count real overlaps only
      if (w > 2 && h > Math.min(a.height, b.height) * 0.3) {
        overlaps++;
        if (pairs.length < 5) pairs.push(texts[i].textContent.trim() + ' / ' + texts[j].textContent.trim());
      }
    }
    const edgeColours = new Set([...svg.querySelectorAll('g.edge path, g.edge polygon')]
      .map(p => norm(p.getAttribute('stroke'))).filter(c => c && c !== 'none'));
    // legend entries: HTML table next to the SVG, or the cluster inside it
    const figure = svg.closest('.officenet-figure');
    let legendColours = [], legendArea = 0;
    const htmlLegend = figure ? figure.querySelector('.officenet-legend') : null;
    if (htmlLegend && visible(htmlLegend)) {
      legendColours = [...htmlLegend.querySelectorAll('[data-colour]')].map(e => norm(e.dataset.colour));
      const r = htmlLegend.getBoundingClientRect();
      legendArea = r.width * r.height;
    }
    const titled = (sel, name) => [...svg.querySelectorAll(sel)].find(g => (g.querySelector('title') || {}).textContent === name);
    const cluster = titled('g.cluster', 'cluster_legend'), node = titled('g.node', 'legend');
    if (node) {
      legendColours = legendColours.concat([...node.querySelectorAll('text[fill]')]
        .map(t => norm(t.getAttribute('fill'))).filter(c => c !== '#000000' && c !== 'black'));
      const r = (cluster || node).getBoundingClientRect();
      legendArea += r.width * r.height;
    }
    const legendEntries = [...new Set(legendColours)];
    const notDrawn = legendEntries.filter(c => !edgeColours.has(c));
    const box = svg.getBoundingClientRect();
    // sideways scrolling: a box between the SVG and the page that clips it (the reader must scroll
    // to see all of the diagram); a table beside it that scrolls on its own does not count
    let scrolls = false;
    for (let e = svg.parentElement; e && e !== document.documentElement; e = e.parentElement) {
      const ox = getComputedStyle(e).overflowX;
      if (ox === 'visible') continue;
      const r = e.getBoundingClientRect();
      if (box.right > r.left + e.clientWidth + 1 || box.left < r.left - 1) { scrolls = true; break; }
    }
    const title = (svg.querySelector('g.graph > text') || svg.querySelector('title') || {}).textContent || '';
    const pts = svg.viewBox && svg.viewBox.baseVal ? svg.viewBox.baseVal : {width: 0, height: 0};
    out.push({
      title: title.trim().slice(0, 70),
      width: Math.round(box.width), height: Math.round(box.height),
      natural: [Math.round(pts.width), Math.round(pts.height)],
      texts: texts.length,
      min_px: sizes.length ? Math.round(Math.min(...sizes) * 10) / 10 : null,
      below9: sizes.filter(s => s < 9 - 1e-6).length,
      below7: sizes.filter(s => s < 7 - 1e-6).length,
      overlaps, overlap_examples: pairs,
      legend_entries: legendEntries.length, legend_not_drawn: notDrawn.length,
      legend_share: Math.round(1000 * legendArea / Math.max(1, box.width * box.height + (htmlLegend ? legendArea : 0))) / 1000,
      scrolls,
      top: Math.round(box.top + window.scrollY), left: Math.round(box.left),
    });
  }
  return {diagrams: out, page_scrolls: document.documentElement.scrollWidth > window.innerWidth + 1,
          page_width: document.documentElement.scrollWidth, window: window.innerWidth};
}"""

HEAD = f"{'diagram':58} {'shown':>9} {'texts':>5} {'min px':>6} {'<9':>4} {'<7':>4} {'ovl':>4} {'leg':>4} {'!drawn':>6} {'share':>5} scroll"


def line(d: dict) -> str:
    return (f"{d['title'][:58]:58} {d['width']:>4}x{d['height']:<4} {d['texts']:>5} {d['min_px'] or 0:>6.1f} "
            f"{d['below9']:>4} {d['below7']:>4} {d['overlaps']:>4} {d['legend_entries']:>4} {d['legend_not_drawn']:>6} "
            f"{d['legend_share']:>5.2f} {'yes' if d['scrolls'] else 'no'}")


def report(where: str, result: dict) -> str:
    rows = [f"== {where}: window {result['window']} px, page {result['page_width']} px wide"
            + (" (scrolls sideways)" if result["page_scrolls"] else ""), HEAD]
    rows += [line(d) for d in result["diagrams"]]
    return "\n".join(rows)

FIGURES: list[str] = []  # printed at the end of the session by conftest's terminal summary


def record(where: str, result: dict) -> str:
    """Keep the figures for the session's summary and build/test-artefacts/legibility.txt."""
    from browser import artefact
    text = report(where, result)
    FIGURES.append(text)
    with artefact("legibility.txt").open("a", encoding="utf-8") as fh:
        fh.write(text + "\n")
    return text


def problems(result: dict, min_px: float, sideways: bool = True, max_share: float = 0.10) -> list[str]:
    """The targets of a reader's page that ``result`` misses, one sentence each."""
    found = []
    if sideways and result["page_scrolls"]:
        found.append(f"the page scrolls sideways ({result['page_width']} px in {result['window']} px)")
    for d in result["diagrams"]:
        name = d["title"] or f"diagram at y={d['top']}"
        if d["min_px"] is not None and d["min_px"] < min_px - 1e-6:
            found.append(f"{name}: smallest text {d['min_px']} px (< {min_px:g} px)")
        if d["overlaps"]:
            found.append(f"{name}: {d['overlaps']} overlapping labels, e.g. {d['overlap_examples'][:2]}")
        if d["legend_not_drawn"]:
            found.append(f"{name}: {d['legend_not_drawn']} legend entries on no edge")
        if d["legend_share"] > max_share:
            found.append(f"{name}: legend takes {d['legend_share']:.0%} of the diagram")
        if sideways and d["scrolls"]:
            found.append(f"{name}: scrolls sideways")
    return found
