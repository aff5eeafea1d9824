"""Your design: a form that fills in a scenario, the views of the organisation it gives, and the designs kept.

``YourDesign`` starts from the reader's last saved design (``scenarios/my-*.yaml``) or the example it is
given, lists the saved designs to open one, saves the answers into the same folder, and exports the
configuration folder with a download link per file and one for a zip of them all (``data:`` links, which
JupyterLab and Voila both follow). For the current answers it shows the findings as a stoplight, a flow
trace with the flow's path on the diagram, and the comparison with the reference (Contoso on the same release
of the products, the form's "Products of"); all of them are derived from the design of that release
(``organisation`` applies the scenario to it). An answer that is not valid shows its error under its field, and
the results of the last valid answers are marked as such.
Everything shown is made by the pure functions of ``officenet.edge.organisation_views``.
"""
from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from ..model.design import Design
from ..edge.downloads import download_link, downloads_html
from ..edge.exports import write_exports
from ..derive.organisation import Organisation, organisation
from ..edge.render import SvgCache
from ..loading.scenario_file import load_scenario
from ..model.scenario import Scenario, ScenarioError, scenario_yaml
from ..edge.scenario_files import file_name, save_design, saved_designs, starting_design
from ..edge.staticviews import VIEWS_MIME, handout_mode, views_payload
from ..edge.organisation_views import compare_html, error_html, findings_html, flow_names, trace_html
from ..edge.display import figure_html
from .base import OUTPUT_CSS
from .scenario_form import FLAGS, TEXTS, ScenarioForm  # noqa: F401  (the form's names stay importable here)

APP_CSS = ("<style>.officenet-stale{opacity:.45}.officenet-download{color:#0b57d0;text-decoration:underline}.officenet-field-error{color:#b71c1c;margin:0 0 4px 4px;line-height:1.35}"
           ".officenet-app .widget-dropdown select,.officenet-app .widget-text input{min-width:0}</style>")
ROW = widgets.Layout(flex_flow="row wrap", align_items="center", width="100%")


def _note(text: str, colour: str = "#555") -> str:
    return f'<p style="color:{colour};margin:2px 0">{text}</p>'


class YourDesign:
    """The kept designs, the form, the tabs of results, and the save and export buttons."""

    def __init__(self, reference: Design, scenario: Scenario | None = None, folder: str | Path = "../scenarios",
                 export_dir: str | Path = "../build/exports/my-design", start_from_saved: bool | None = None):
        self.reference = reference
        self.folder = Path(folder)
        self._reference_orgs: dict[str | None, Organisation] = {}  # per release: Contoso on its products
        self.svg = SvgCache()
        if start_from_saved or (start_from_saved is None and not handout_mode()):  # a handout shows the example
            start, path, how = starting_design(self.folder, reference, scenario)
        else:
            start, path, how = scenario or Scenario.default_for(reference), None, "the example given"
        self.form = ScenarioForm(start, reference)
        self.designs = widgets.Dropdown(description="Saved designs", style={"description_width": "110px"},
                                        layout=widgets.Layout(width="auto", min_width="0", max_width="560px", flex="1 1 300px"))
        self.open_button = widgets.Button(description="Open", icon="folder-open", layout=widgets.Layout(width="90px"))
        self.started = widgets.HTML(_note(f"Started from {html.escape(how)}."))
        self.save_name = widgets.Text(value=path.name if path else file_name(start.name), description="Save as",
                                      style={"description_width": "60px"},
                                      layout=widgets.Layout(width="auto", min_width="0", flex="1 1 260px"))
        self.save_button = widgets.Button(description="Save design", icon="save", layout=widgets.Layout(width="130px"))
        self.saved = widgets.HTML()
        self.export_dir = widgets.Text(value=str(export_dir), description="Export folder",
                                       style={"description_width": "90px"},
                                       layout=widgets.Layout(width="auto", min_width="0", flex="1 1 300px"))
        self.export_button = widgets.Button(description="Export configuration", icon="download",
                                            layout=widgets.Layout(width="180px"))
        self.exported = widgets.HTML()
        self.flow = widgets.Dropdown(description="Flow", layout=widgets.Layout(width="auto", max_width="100%"))
        self.status = widgets.HTML()  # why the results are not of the answers shown (empty when they are)
        self.findings = widgets.HTML()
        self.trace = widgets.HTML()
        self.comparison = widgets.HTML()
        self.tabs = widgets.Tab(children=[self.findings, widgets.VBox([self.flow, self.trace]), self.comparison])
        for i, title in enumerate(("Findings", "Trace", "Compare")):
            self.tabs.set_title(i, title)
        self.widget = widgets.VBox([
            widgets.HTML(OUTPUT_CSS + APP_CSS, layout=widgets.Layout(display="none")),
            widgets.HBox([self.designs, self.open_button], layout=ROW), self.started,
            self.form.widget,
            widgets.HBox([self.save_name, self.save_button], layout=ROW), self.saved,
            self.status, self.tabs,
            widgets.HBox([self.export_dir, self.export_button], layout=ROW), self.exported])
        self.widget.add_class("officenet-explorer")  # diagrams and tables fit the output (see explorers.base)
        self.widget.add_class("officenet-app")
        self._orgs: dict[str, Organisation] = {}
        self._quiet = False
        self._exported_key: str | None = None
        self.org: Organisation | None = None
        self.list_designs(path)
        self.form.on_change(self.refresh)  # also told of the widgets a release switch builds
        self.flow.observe(lambda _change: self._show_trace(), names="value")
        self.form.texts["name"].observe(self._follow_name, names="value")
        self.open_button.on_click(lambda _b: self.open())
        self.save_button.on_click(lambda _b: self.save())
        self.export_button.on_click(lambda _b: self.export())
        self.refresh()

    # --- the designs kept ---------------------------------------------------------------
    def list_designs(self, selected: Path | None = None) -> list[Path]:
        files = saved_designs(self.folder)
        pick = "(pick one to open)" if files else f"(none yet in {self.folder})"
        self.designs.options = [(pick, "")] + [(p.name, str(p)) for p in files]
        values = [v for _, v in self.designs.options]
        self.designs.value = str(selected) if selected is not None and str(selected) in values else ""
        return files

    def open(self, path: str | Path | None = None) -> Scenario | None:
        """Show the answers of a saved design (the one picked in the list by default)."""
        if not (path or self.designs.value):
            return None
        path = Path(path or self.designs.value)
        try:
            scenario = load_scenario(path, self.reference)
        except ScenarioError as error:
            self.started.value = error_html(error)
            return None
        self._quiet_refresh(lambda: self.form.set_scenario(scenario))
        self.save_name.value = path.name if path.name.startswith("my-") else file_name(scenario.name)
        self.started.value = _note(f"Opened {html.escape(path.name)}.")
        return scenario

    def _follow_name(self, change) -> None:
        # A new name gets its own file, unless the reader typed a file name of their own.
        if self.save_name.value == file_name(change.old or ""):
            self.save_name.value = file_name(change.new or "")

    def _quiet_refresh(self, change) -> None:
        """Make many widget changes, then derive once."""
        self._quiet = True
        try:
            change()
        finally:
            self._quiet = False
        self.refresh()

    # --- the answers and their results ------------------------------------------------------
    def refresh(self) -> None:
        """Re-derive the organisation from the form; a bad answer shows its error by its field, never raises."""
        if self._quiet:
            return
        try:
            scenario = self.form.scenario()
            key = scenario_yaml(scenario)  # a Scenario holds mappings, so its YAML is the cache key
            if key not in self._orgs:
                self._orgs[key] = organisation(self.reference, scenario)
        except ScenarioError as error:
            self._invalid(error.problems, f"{len(error.problems)} answer{'s are' if len(error.problems) > 1 else ' is'}"
                                          " not valid: see the message under the field")
            return
        except ValueError as error:  # the answers are valid one by one but not together (networks too small)
            self._invalid([error], "the answers do not fit together")
            return
        self.org = self._orgs[key]
        self.form.show_problems(())
        self.status.value = ""
        self.tabs.remove_class("officenet-stale")
        self.save_button.disabled = self.export_button.disabled = False
        self.findings.value = findings_html(self.org)
        flows = flow_names(self.org.design)
        current = self.flow.value if self.flow.value in {v for _, v in flows} else flows[0][1]
        self._quiet = True  # changing the options moves the value: draw once, below
        try:
            self.flow.options = flows
            self.flow.value = current
        finally:
            self._quiet = False
        self._show_trace()
        self.comparison.value = compare_html(self.reference_org(scenario.release), self.org, self.svg)
        if self._exported_key is not None and self._exported_key != key:
            self.exported.value = _mark_stale(self.exported.value, "the answers changed since this export: "
                                              "export again for files of the answers shown")

    def reference_org(self, release: str | None = None) -> Organisation:
        """Contoso on the products of ``release`` (the design's own by default): what the answers are compared
        with, so that the comparison shows what the organisation changes, not what the release does."""
        release = release or self.reference.release or None
        if release not in self._reference_orgs:
            name = Scenario.name
            if release != (self.reference.release or None):
                title = next((r.name for r in self.reference.releases if r.id == release), str(release))
                name = f"{name[:-1]}, {title[:1].lower()}{title[1:]})"
            self._reference_orgs[release] = organisation(
                self.reference, Scenario.default_for(self.reference, release=release, name=name))
        return self._reference_orgs[release]

    def _invalid(self, problems, why: str) -> None:
        self.form.show_problems(problems)
        last = f" The results below are of the last valid answers ({html.escape(self.org.scenario.name)})." \
            if self.org is not None else ""
        self.status.value = _note(f"⚠ <b>{html.escape(why)}.</b>{last}", "#b71c1c")
        self.tabs.add_class("officenet-stale")
        self.save_button.disabled = self.export_button.disabled = True

    @property
    def valid(self) -> bool:
        return not self.save_button.disabled

    def _show_trace(self) -> None:
        if not self._quiet and self.org is not None and self.flow.value:
            self.trace.value = trace_html(self.org, self.flow.value, self.svg)

    # --- keeping and exporting --------------------------------------------------------------
    def save(self) -> Path | None:
        """Save the answers into the designs folder; the list shows the file and a link downloads it."""
        if self.org is None or not self.valid:
            return None
        name = Path(self.save_name.value.strip() or file_name(self.org.scenario.name)).name
        name = name if name.endswith((".yaml", ".yml")) else name + ".yaml"
        try:
            path = save_design(self.org.scenario, self.folder, name)
        except OSError as error:
            self.saved.value = error_html(error)
            return None
        self.list_designs(path)
        self.saved.value = _note(f"Saved <code>{html.escape(str(path))}</code>: it opens here next time. "
                                 + download_link(path.name, path.read_bytes(), f"⬇ Download {path.name}"))
        return path

    def export(self) -> list[Path]:
        if self.org is None or not self.valid:
            return []
        try:
            written = write_exports(self.org, self.export_dir.value)
        except (OSError, ValueError) as error:
            self.exported.value = error_html(error)
            return []
        folder = Path(self.export_dir.value)
        self._exported_key = scenario_yaml(self.org.scenario)
        self.exported.value = (_note(f"Wrote {len(written)} files into <code>{html.escape(str(folder))}</code>.")
                               + downloads_html(folder, written, folder.name or "exports"))
        return written

    # --- pages without a kernel ---------------------------------------------------------------
    def static_views(self) -> list[tuple[str, str]]:
        """(label, html) of the current answers, for a page without a kernel (handouts)."""
        if self.org is None:
            return [("The answers are not valid", self.status.value)]
        overview = findings_html(self.org) + figure_html(self.org.figure(), self.svg)
        return [("Findings and diagram", overview), (f"Trace of {self.flow.value}", self.trace.value),
                ("Compare with the reference", self.comparison.value)]

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = self.findings.value  # an exported page shows the findings
        if handout_mode():
            bundle[VIEWS_MIME] = views_payload(f"Your design: {self.org.scenario.name if self.org else ''}",
                                               self.static_views())
        return bundle


def _mark_stale(body: str, why: str) -> str:
    marker = '<p class="officenet-stale-note"'
    if marker in body:
        return body
    return f'{marker} style="color:#b71c1c">⚠ {html.escape(why)}.</p><div class="officenet-stale">{body}</div>'
