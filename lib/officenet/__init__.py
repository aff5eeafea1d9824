"""officenet: the network integration of Exchange 2013, SharePoint 2013, Lync 2013
and Office Web Apps Server, as data, diagrams and tables.

    >>> import officenet
    >>> design = officenet.load()
    >>> officenet.diagram(design, officenet.View(user_type="roaming_employees"))

``import officenet`` loads the model, the loader and the tables. The widgets (ipywidgets,
IPython; all in ``officenet.explorers``), Graphviz, dnspython and the gateway modules load only
when an explorer, a picture, a DNS or gateway artefact is first asked for: the names below are
resolved on first use (PEP 562).
"""
from importlib import import_module
from importlib.util import find_spec

from .derive.describe import describe_tables
from .model.design import Design
from .edge.display import Diagram, diagram, show_figures, show_tables_in_full
from .model.errors import DesignError, Problem
from .loading.loader import DEFAULT_DATA_DIR, load
from .derive.tables import (auth_matrix, component_table, corrections_table, flow_table, legend_table, port_matrix,
                     style_by_traffic_type, url_table)
from .model.view import View

# Inside a kernel, every Figure a derivation returns shows as its SVG and legend.
show_figures()
show_tables_in_full()  # and every DataFrame as a readable table (no cut cells, wrapped text)

# Public name -> the module that defines it, imported on first use.
_LAZY = {
    "Explorer": "explorers.base",
    "OverviewExplorer": "explorers.overview_explorer",
    "GatewayExplorer": "explorers.gateway_explorer",
    **dict.fromkeys(("gateway_allow_list", "option_table"), "derive.gateway"),
    **dict.fromkeys(("allow_list_table", "edge_external_table", "edge_internal_table", "gateway_figure",
                     "zone_pair_matrix", "zone_pair_ports"), "derive.gateway_views"),
    "render_acls": "derive.acls", "AclExportError": "derive.acls", "write_acls": "edge.exports",
    **dict.fromkeys(("BadDomain", "check_domain", "dns_checks", "dns_dot", "dns_records", "zone_origins",
                     "zone_text"), "derive.dns"),
    **dict.fromkeys(("anonymous_lync", "auth_rows", "exchange_vdirs", "urls_for"), "derive.walkthrough"),
    **dict.fromkeys(("AuthExplorer", "DnsExplorer"), "explorers.walkthrough_explorers"),
    "LoadBalancingExplorer": "explorers.loadbalancing_explorer",
    "RemoteAccessExplorer": "explorers.remoteaccess_explorer",
    "TableExplorer": "explorers.table_explorer",
}
# Derivation modules the notebooks reach as officenet.loadbalancing and officenet.remoteaccess.
_SUBMODULES = {"loadbalancing": "derive.loadbalancing", "remoteaccess": "derive.remoteaccess"}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return import_module(f".{_SUBMODULES[name]}", __name__)
    if not name.startswith("_") and find_spec(f"{__name__}.{name}") is not None:
        return import_module(f".{name}", __name__)  # officenet.derive.checks works without an import
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'officenet' has no attribute '{name}'")


def __dir__():
    return sorted({*globals(), *_LAZY, *_SUBMODULES})


__all__ = [
    "Design", "describe_tables", "DesignError", "Problem", "View", "Diagram", "load", "diagram", "port_matrix", "flow_table",
    "auth_matrix", "corrections_table", "legend_table", "style_by_traffic_type", "component_table", "url_table",
    "Explorer", "OverviewExplorer", "DEFAULT_DATA_DIR",
    "gateway_allow_list", "allow_list_table", "zone_pair_matrix", "zone_pair_ports", "edge_external_table", "edge_internal_table", "option_table",
    "gateway_figure",
    "render_acls", "write_acls", "AclExportError", "GatewayExplorer",
    "BadDomain", "check_domain", "dns_checks", "dns_dot", "dns_records", "zone_origins", "zone_text",
    "AuthExplorer", "DnsExplorer", "anonymous_lync", "auth_rows", "exchange_vdirs", "urls_for",
    "loadbalancing", "remoteaccess", "LoadBalancingExplorer", "RemoteAccessExplorer", "TableExplorer",
]
