"""The definite errors of issue 20, each read from the exported files of contoso and fabrikam.

Every test here failed on the export before its fix (the commit that added it says how it was
seen failing): a client's name missing from a certificate, a rule missing from the gateway, a
layer-4 listener where layer 7 is required, an NRPT that sends Lync the wrong way.
"""
import ipaddress
import re

import dns.zone
import pandas as pd
import pytest

from officenet import exports
from officenet.gateway import permits
from officenet.organisation import organisation
from officenet.scenario import load_scenario

from conftest import ROOT

SCENARIOS = ("contoso", "fabrikam")


@pytest.fixture(scope="module", params=SCENARIOS)
def org(request, design):
    return organisation(design, load_scenario(ROOT / "scenarios" / f"{request.param}.yaml"))


@pytest.fixture(scope="module")
def texts(org):
    return exports.export_texts(org, serial=1)


def plan_of(texts) -> pd.DataFrame:
    from io import StringIO
    return pd.read_csv(StringIO(texts["certificates/certificate-plan.csv"]), keep_default_na=False).set_index("certificate")


def sans(plan, cert) -> list[str]:
    return [n for n in plan.loc[cert, "subject alternative names"].split("; ") if n]


def zone_names(texts, view, origin) -> set[str]:
    zone = dns.zone.from_text(texts[f"dns/{view}-{origin}.zone"], origin=origin, relativize=False)
    return {n.to_text().rstrip(".") for n in zone.nodes}


# --- 1. every name a client uses is a SAN, the subject included ------------------------------------


def test_every_subject_is_repeated_as_a_subject_alternative_name(texts):
    plan = plan_of(texts)
    missing = {cert: row["subject"] for cert, row in plan.iterrows() if row["subject"] not in sans(plan, cert)}
    assert not missing, f"clients ignore the CN once a SAN list exists (RFC 6125 6.4.4): {missing}"


def test_the_sharepoint_intranet_name_is_on_its_certificate(org, texts):
    plan = plan_of(texts)
    d = org.scenario.domain
    assert {f"intranet.{d}", f"teams.{d}", f"my.{d}"} <= set(sans(plan, "sharepoint_intranet"))


# --- 2. the Lync pool's certificates carry the pool and the servers --------------------------------


def test_lync_default_and_web_internal_certificates_carry_pool_and_server_names(org, texts):
    plan, d = plan_of(texts), org.scenario.domain
    servers = {f"fe01.{d}", f"fe02.{d}"}
    assert {f"pool01.{d}"} | servers <= set(sans(plan, "lync_default"))
    assert {f"pool01.{d}", f"webint.{d}"} | servers <= set(sans(plan, "lync_web_internal"))
    # and each server name resolves on the intranet, to that server's address
    assert servers <= zone_names(texts, "internal", d)


# --- 6. the Lync web VIPs balance each request (layer 7) ------------------------------------------


def frontend_blocks(cfg: str) -> dict[str, str]:
    return dict(re.findall(r"^frontend fe_(\S+)\n(.*?)(?=^\S|\Z)", cfg, re.M | re.S))


@pytest.mark.parametrize("listener", ["lync_web_ext_vip_4443", "lync_web_ext_vip_8080", "lync_web_int_vip_80",
                                      "lync_web_int_vip_443"])
def test_lync_web_vips_run_at_layer_7(texts, listener):
    fronts = frontend_blocks(texts["loadbalancer/haproxy.cfg"])
    assert listener in fronts, sorted(fronts)
    assert "    mode http\n" in fronts[listener]  # the defaults say tcp: layer 4
    assert "prefer-last-server" not in texts["loadbalancer/haproxy.cfg"].replace("option prefer-last-server stays off", "")


def test_the_external_web_vip_bridges_tls_with_the_pools_web_external_certificate(texts):
    front = frontend_blocks(texts["loadbalancer/haproxy.cfg"])["lync_web_ext_vip_4443"]
    assert "ssl crt /etc/haproxy/certs/lync_web_external.pem" in front
