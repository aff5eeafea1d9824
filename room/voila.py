# Voila for the workshop room: `make workshop` (see docs/trainer-guide.md, "The workshop room").
#
# Voila reads this file as its configuration (the Makefile names this folder in --Voila.config_file_paths).
# It keeps a room of learners going all day on one machine:
#   - the landing page (the officenet template's tree-lab.html) lists the series and the exercises by their
#     own titles, read here from the notebooks; the trainer's solutions are neither listed nor served;
#   - every app page sets Jupyter's _xsrf cookie, so the kernel shutdown the page sends when a learner leaves
#     it is accepted (without the cookie Voila answers 403 and the kernel lives on);
#   - kernels nobody is connected to any more (a closed laptop, a crashed tab) are culled when idle.
# Command-line flags win over this file: the tests shorten the culling times with them.
import json
import re
from pathlib import Path

from tornado import web

c = get_config()  # noqa: F821 (Voila provides it)

# Culling (jupyter_server's MappingKernelManager, which Voila uses for its kernels). A page a learner has open
# keeps its kernel however long it sits idle (cull_connected False): culling only reaps kernels whose page is
# gone without saying goodbye. After 15 minutes: a learner whose laptop slept through a short break comes back to
# a live page; checking every minute lets a stray outlive that by a minute at most.
c.MappingKernelManager.cull_idle_timeout = 15 * 60
c.MappingKernelManager.cull_interval = 60
c.MappingKernelManager.cull_connected = False
c.MappingKernelManager.cull_busy = False
# Preheating stays off (Voila's default): it keeps a pool of started kernels for every notebook, which is
# memory a room pays for whether a learner opens the page or not.
c.VoilaConfiguration.preheat_kernel = False

# The trainer's solutions live beside the exercises (notebooks/workshop/solutions/); the room never sees them.
HIDDEN = "solutions"
c.LargeFileManager.hide_globs = ["__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", HIDDEN]

# A heading such as "# 03 · DNS: what ..." or "# Workshop 03 · Choose remote access ...": number, then title.
HEADING = re.compile(r"^#\s+(?:Workshop\s+)?(\d\d)\s*·\s*(.+)$")
SUMMARY = re.compile(r"^> \*\*In short:\*\*\s*(.+)$", re.MULTILINE)
_titles: dict[tuple[str, float], dict] = {}


def hidden(path: str) -> bool:
    """True for a path (relative to the served folder) inside the solutions."""
    return HIDDEN in Path(path).parts


def entry(folder: Path, path: Path) -> dict:
    """One notebook of the landing page: its number, title and one-line summary, from its first cell."""
    key = (str(path), path.stat().st_mtime)
    if key not in _titles:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        first = next(("".join(c["source"]) for c in cells if c["cell_type"] == "markdown"), "")
        found = HEADING.match(first.partition("\n")[0].strip())
        number, title = found.groups() if found else ("", path.stem)
        summary = SUMMARY.search(first)
        _titles[key] = {"number": number, "title": title.strip(), "summary": summary.group(1) if summary else "",
                        "path": path.relative_to(folder).as_posix()}
    return _titles[key]


def series(folder: Path) -> dict:
    """The walk-through (NN-*.ipynb) and the exercises (workshop/NN-*.ipynb) of the served folder."""
    return {"walkthrough": [entry(folder, p) for p in sorted(folder.glob("[0-9][0-9]-*.ipynb"))],
            "exercises": [entry(folder, p) for p in sorted(folder.glob("workshop/[0-9][0-9]-*.ipynb"))]}


def page_config_hook(page_config, base_url, settings, log, voila_configuration, notebook_path):
    """Hand the landing page (any folder's page: the room has one) the series it lists."""
    if not notebook_path.endswith(".ipynb"):
        page_config["officenetSeries"] = series(Path(settings["contents_manager"].root_dir))
    return page_config


def prelaunch_hook(req, notebook, cwd):
    """Before an app page starts its kernel: refuse the solutions, and set the _xsrf cookie its goodbye needs."""
    if hidden(req.path_args[0] if req.path_args else cwd):
        raise web.HTTPError(404)
    req.xsrf_token  # noqa: B018 (reading it sets the cookie, as the landing page does)


c.VoilaConfiguration.page_config_hook = page_config_hook
c.VoilaConfiguration.prelaunch_hook = prelaunch_hook
