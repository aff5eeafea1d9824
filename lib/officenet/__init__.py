"""officenet: the network integration of Exchange 2013, SharePoint 2013, Lync 2013
and Office Web Apps Server, as data, diagrams and tables.

    >>> import officenet
    >>> design = officenet.load()
    >>> officenet.diagram(design, officenet.View(user_type="roaming_employees"))
"""
from .describe import describe_tables
from .design import Design
from .display import Diagram, diagram
from .errors import DesignError, Problem
from .loader import DEFAULT_DATA_DIR, load
from .tables import (auth_matrix, component_table, corrections_table, flow_table, legend_table, port_matrix,
                     style_by_traffic_type, url_table)
from .view import View
from .explorer import Explorer, OverviewExplorer
from .firewall import (AclExportError, edge_external_table, edge_internal_table, gateway_allow_list, option_table,
                       render_acls, write_acls, zone_pair_matrix, zone_pair_ports)
from .firewall_explorer import GatewayExplorer
from .dns import BadDomain, check_domain, dns_checks, dns_dot, dns_records, zone_origins, zone_text
from .walkthrough import AuthExplorer, DnsExplorer, anonymous_lync, auth_rows, exchange_vdirs, urls_for
from . import loadbalancing, remoteaccess
from .loadbalancing import LoadBalancingExplorer
from .remoteaccess import RemoteAccessExplorer

__all__ = [
    "Design", "describe_tables", "DesignError", "Problem", "View", "Diagram", "load", "diagram", "port_matrix", "flow_table",
    "auth_matrix", "corrections_table", "legend_table", "style_by_traffic_type", "component_table", "url_table",
    "Explorer", "OverviewExplorer", "DEFAULT_DATA_DIR",
    "gateway_allow_list", "zone_pair_matrix", "zone_pair_ports", "edge_external_table", "edge_internal_table", "option_table",
    "render_acls", "write_acls", "AclExportError", "GatewayExplorer",
    "BadDomain", "check_domain", "dns_checks", "dns_dot", "dns_records", "zone_origins", "zone_text",
    "AuthExplorer", "DnsExplorer", "anonymous_lync", "auth_rows", "exchange_vdirs", "urls_for",
    "loadbalancing", "remoteaccess", "LoadBalancingExplorer", "RemoteAccessExplorer",
]
