"""`import officenet` stays light: the widget toolkit, IPython, Graphviz and dnspython load
only when an explorer, a picture or a DNS artefact is first asked for."""
import json
import subprocess
import sys

HEAVY = ("ipywidgets", "IPython", "graphviz", "dns")


def loaded_after(code: str) -> list[str]:
    """Top-level packages of HEAVY present in sys.modules after running ``code`` in a fresh interpreter."""
    probe = code + f"\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_officenet_alone_loads_no_widgets_ipython_graphviz_or_dnspython():
    assert loaded_after("import officenet\nofficenet.load()") == []


def test_an_explorer_or_a_dns_table_loads_what_it_needs_on_first_use():
    assert loaded_after("import officenet\nofficenet.OverviewExplorer") == ["IPython", "ipywidgets"]
    assert loaded_after("import officenet\nofficenet.OverviewExplorer(officenet.load())") == [
        "IPython", "ipywidgets"]  # its redraw runs dot itself (officenet.edge.render.PendingSvg)
    assert loaded_after("import officenet\nofficenet.edge.display.figure_svg(officenet.diagram(officenet.load()))") == ["graphviz"]
    assert loaded_after("from officenet import dns_records") == ["dns"]


def test_lazy_names_and_submodules_resolve():
    import officenet
    from officenet.explorers.overview_explorer import OverviewExplorer
    assert officenet.OverviewExplorer is OverviewExplorer
    assert officenet.derive.loadbalancing.__name__ == "officenet.derive.loadbalancing"
    explorers = {name: getattr(officenet, name).__module__ for name in officenet.__all__ if name.endswith("Explorer")}
    assert set(explorers) == {"Explorer", "OverviewExplorer", "GatewayExplorer", "AuthExplorer", "DnsExplorer",
                              "LoadBalancingExplorer", "RemoteAccessExplorer", "TableExplorer"}
    assert all(module.startswith("officenet.explorers.") for module in explorers.values()), explorers
    assert set(officenet.__all__) <= set(dir(officenet))
    try:
        officenet.no_such_name
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown name must raise AttributeError")
