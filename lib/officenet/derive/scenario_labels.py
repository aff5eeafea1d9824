"""Readable names for a scenario's answers, taken from the design's own tables where they have one.

A form shows "SharePoint Server 2013", "Layer 7 load balancer" or "Lync A/V TCP 50000-59999 (Edge outbound)",
never the ids ``sharepoint``, ``layer7`` or ``lync_av_range`` it stores. Products take their names from
products.csv, VPN protocols from vpn_protocols.csv, the gateway switches from gateway_options.csv's labels, the
reverse proxies, mail routes and Office Web Apps hosts from answers.csv; the words no table has a row for
(load-balancing methods, the remote-access options) are named once here, as patterns that take the product
names from the design's rows (release_names). An id nobody named reads as words.
"""
from __future__ import annotations

from ..model.design import Design
from .loadbalancing import METHODS, workload_label
from .release_names import named, words
from .remoteaccess import OPTION_NAMES

# Patterns of release_names, as the remote-access options: the product names come from the design's rows.
ACCESS_NAMES = {**OPTION_NAMES, "uag": "{rp_uag} (out of support)",
                "vpn_or_directaccess": "VPN or {directaccess_server}"}
# Scenario switch -> the gateway option of gateway_options.csv whose label names it.
FLAG_OPTIONS = {"pop_imap": "pop_imap", "lync_av_range": "av_range", "xmpp": "xmpp", "teredo": "teredo",
                "six_to_four": "six_to_four", "directaccess_ipv6": "da_ipv6"}
FLAG_NAMES = {"federation": "{lync} federation with partners", "public_im": "Public IM connectivity"}
FIELD_NAMES = {"name": "Name", "domain": "Public domain", "internal_namespace": "Internal namespace",
               "public_network": "Public network", "internal_network": "Internal network"}


def product_name(design: Design, product: str) -> str:
    return next((p.name for p in design.products if p.id == product), words(product))


def short_name(design: Design, key: str) -> str:
    label = design.label(key)
    return words(label) if label == key else label


def access_name(design: Design, option: str) -> str:
    return named(design, ACCESS_NAMES.get(option), option)


def answer_name(design: Design, question: str, choice: str, item: str = "") -> str:
    """The label answers.csv gives a choice of a scenario field ('uag' -> 'Forefront UAG 2010')."""
    return next((a.label for a in design.answers if a.question == question and a.choice == choice
                 and a.item in (item, "")), words(choice))


def method_name(design: Design, method: str, workload: str = "") -> str:
    """A load-balancing method: lb_rules.csv's methods by their usual names, an added one by answers.csv's label."""
    return METHODS.get(method) or answer_name(design, "load_balancing", method, workload)


def vpn_name(design: Design, protocol: str) -> str:
    return next((v.name for v in design.vpn_protocols if v.id == protocol), words(protocol))


def flag_name(design: Design, flag: str) -> str:
    option = FLAG_OPTIONS.get(flag)
    label = next((o.label for o in design.gateway_options if o.id == option), None)
    return label or (named(design, FLAG_NAMES[flag], flag) if flag in FLAG_NAMES else words(flag).capitalize())


def workload_name(design: Design, workload: str) -> str:
    return workload_label(design, workload)
