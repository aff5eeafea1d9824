import json
import shutil
from pathlib import Path

import pytest

import officenet

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="session")
def design():
    return officenet.load()


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def check_golden(name: str, text: str) -> None:
    """Compare with tests/golden/NAME; on mismatch write NAME.actual beside it."""
    golden = GOLDEN / name
    actual = GOLDEN / (name + ".actual")
    if golden.exists() and golden.read_text(encoding="utf-8") == text:
        actual.unlink(missing_ok=True)
        return
    actual.write_text(text, encoding="utf-8")
    state = "differs from" if golden.exists() else "has no"
    pytest.fail(f"output {state} golden file tests/golden/{name}; review tests/golden/{name}.actual "
                f"(diff -u tests/golden/{name} tests/golden/{name}.actual) and run 'make accept' to accept it")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (see tests/browser.py)."""
    from playwright.sync_api import sync_playwright
    from browser import FLAGS, TIMEOUT_MS, chromium_path
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), args=FLAGS, timeout=TIMEOUT_MS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def handouts(design):
    """Every numbered notebook built once per session into build/test-artefacts/handouts/."""
    from officenet.edge import handout
    from browser import artefact
    written = handout.build(handout.notebooks_in(ROOT / "notebooks"), artefact("handouts"), design)
    return {p.name: p for p in written}


FIGURES_KEY = "officenet_figures"


def pytest_sessionfinish(session):
    """Under pytest-xdist (make test runs two workers) each worker hands the figures it measured to the
    controller, which prints them: the property-based examples, the legibility figures, the client proofs."""
    out = getattr(session.config, "workeroutput", None)
    if out is not None:
        import clientproof
        import fuzzcount
        import legibility
        out[FIGURES_KEY] = json.dumps({"fuzz": dict(fuzzcount.COUNTS), "legibility": legibility.FIGURES,
                                       "clientproof": clientproof.FIGURES})


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """The controller gathers a finished worker's figures (see pytest_sessionfinish)."""
    import clientproof
    import fuzzcount
    import legibility
    figures = json.loads(getattr(node, "workeroutput", {}).get(FIGURES_KEY, "{}"))
    fuzzcount.COUNTS.update(figures.get("fuzz", {}))
    legibility.FIGURES.extend(figures.get("legibility", []))
    clientproof.FIGURES.update(figures.get("clientproof", {}))


def pytest_terminal_summary(terminalreporter):
    """The number of property-based examples run (make fuzz asks for at least 10,000), and how many
    real-engine tests (BIND, nftables, HAProxy in namespaces) ran, and why any skipped, and the legibility
    figures measured in this session (tests/edge/test_legibility_browser.py)."""
    import fuzzcount
    if fuzzcount.COUNTS:
        parts = ", ".join(f"{n} {what}" for what, n in sorted(fuzzcount.COUNTS.items()))
        terminalreporter.write_line(f"fuzz: {sum(fuzzcount.COUNTS.values())} examples in all ({parts})")
    _real_engines_summary(terminalreporter)
    from legibility import FIGURES
    if FIGURES:
        terminalreporter.write_sep("-", "diagram legibility")
        for block in FIGURES:
            terminalreporter.write_line(block)


def _real_engines_summary(terminalreporter):
    reports = [r for key in ("passed", "failed", "skipped", "error", "xfailed", "xpassed")
               for r in terminalreporter.stats.get(key, [])
               if getattr(r, "nodeid", "").startswith(("tests/edge/test_real_engines.py",
                                                       "tests/edge/test_client_proofs.py"))]
    if not reports:
        return
    ran = {r.nodeid for r in reports if r.when == "call"}
    skipped = [r for r in reports if r.skipped and not hasattr(r, "wasxfail")]
    reasons = sorted({str(r.longrepr[-1]) if isinstance(r.longrepr, tuple) else str(r.longrepr) for r in skipped})
    total = len({r.nodeid for r in reports})
    terminalreporter.write_line(f"real engines (BIND, nftables, HAProxy, Cisco/Juniper parser, client proofs): "
                                f"{len(ran)} of {total} tests ran, {len(skipped)} skipped"
                                + (f" ({'; '.join(reasons)})" if reasons else ""))
    from clientproof import summary_lines
    for line in summary_lines():  # the TLS and egress proofs' counts (tests/edge/test_client_proofs.py)
        terminalreporter.write_line("client proof, " + line)
