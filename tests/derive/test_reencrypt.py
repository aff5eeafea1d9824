"""What the exported HAProxy verifies on the TLS connections it opens to the pools (re-encryption and
HTTPS probes): the chain and the name, on every listener kind of both releases.

HAProxy 2.6 manual, 5.2: with 'verify required' the server's names are matched against the SNI sent, else
against 'verifyhost'; with neither, the names are ignored. The checks send 'check-sni' only where they speak
TLS, and an explicit 'http-check connect ssl' sends none. The proof on the real HAProxy is
tests/edge/test_layer7_proof.py."""
import re

import pytest

import clientproof as cp

from officenet.derive.certificates import certificate_plan
from officenet.derive.lbconfig import LbConfigError, haproxy_config
from officenet.derive.organisation import organisation
from officenet.derive.reencrypt import names_on
from officenet.loading.scenario_file import load_scenario

from conftest import ROOT
from helpers import blocked, edit
from test_lbconfig import SNI

SCENARIOS = ["contoso", "contoso-current", "fabrikam", "everything"]
# a VIP in a pool's place (behind the reverse proxy) bridges TLS with its pool's certificate (L-HLB)
IN_FRONT = {"lync_web_ext_vip": "lync_pool"}


def _backends(text):
    """backend name -> (its lines, its server lines)."""
    out = {}
    for block in re.split(r"\n(?=\S)", text):
        if block.startswith("backend "):
            lines = block.splitlines()
            out[lines[0].split()[1]] = (lines, [l.split() for l in lines if l.strip().startswith("server ")])
    return out


def _option(words, key):
    return words[words.index(key) + 1] if key in words else None


@pytest.fixture(scope="module", params=SCENARIOS)
def exported(request, design):
    org = organisation(design, load_scenario(ROOT / "scenarios" / f"{request.param}.yaml", design))
    return org, org.haproxy(), certificate_plan(org.certificate_names())


def test_no_server_line_turns_verification_off_or_contradicts_itself(exported):
    _, text, _ = exported
    servers = [w for _, lines in _backends(text).values() for w in lines]
    assert servers
    for words in servers:
        assert "none" not in words[words.index("check"):], " ".join(words)  # no 'verify none'
        assert words.count("verify") <= 1 and words.count("sni") <= 1, " ".join(words)


def test_every_tls_leg_to_a_server_verifies_a_name_of_the_pools_certificate(exported):
    org, text, plan = exported
    names = names_on(plan)
    on_plan = {n for ns in names.values() for n in ns}
    legs = 0
    for backend, (lines, servers) in _backends(text).items():
        https_probe = any(l.strip() == "http-check connect default" for l in lines)
        for words in servers:
            reencrypts = "ssl" in words
            if not (reencrypts or https_probe):
                assert "verify" not in words and "check-sni" not in words, " ".join(words)
                continue
            legs += 1
            assert _option(words, "verify") == "required" and _option(words, "ca-file"), " ".join(words)
            host = _option(words, "verifyhost")
            assert host in on_plan, (backend, host)
            # the certificate the server presents there (the proofs' oracle, not the export) carries the
            # checked name, and the CA that issued it is the ca-file
            pool, port = cp.backend_pool(backend), int(words[2].rsplit(":", 1)[1])
            (cert,) = cp.presents(plan, [IN_FRONT.get(pool, pool)], port)
            assert host in names[cert], (backend, cert, host)
            assert _option(words, "ca-file").endswith(f"/{plan.loc[cert, 'issuer']}-ca.pem")
            if reencrypts:  # the request's host name goes as SNI (manual: never the client's SNI for HTTPS)
                assert _option(words, "sni") == "req.hdr(host),field(1,:)"
            tls_check = https_probe or ("port" not in words[words.index("check"):words.index("ssl")])
            assert (_option(words, "check-sni") == host) == tls_check, " ".join(words)
            assert ("check-ssl" in words) == (https_probe and not reencrypts), " ".join(words)
    assert legs >= (4 if org.scenario.release == "2013" else 5)


def test_each_pool_certificate_carries_every_name_its_listener_forwards(design):
    """The reverse proxy forwards its names but officewebapps01 to the external web VIP, and that one to
    the Office Web Apps farm: each pool's certificate carries what reaches it."""
    from officenet.derive.reencrypt import forwarded_names
    org = organisation(design, load_scenario(ROOT / "scenarios" / "contoso.yaml", design))
    plan = certificate_plan(org.certificate_names())
    forwarded = forwarded_names(plan, "reverse_proxy", {"lync_web_ext_vip": None,
                                                        "owas_fe": ("officewebapps01.contoso.com",)})
    assert forwarded == {"lync_web_ext_vip": {f"{n}.contoso.com" for n in ("webext", "dial", "meet", "lyncdiscover")},
                         "owas_fe": {"officewebapps01.contoso.com"}}
    names = names_on(plan)
    assert forwarded["lync_web_ext_vip"] <= set(names["lync_web_external"])
    assert forwarded["owas_fe"] <= set(names["owas"])
    backends = {b: " ".join(servers[0]) for b, (_, servers) in _backends(org.haproxy()).items()}
    assert "verifyhost webext.contoso.com" in backends["be_lync_vip_443_lync_web_ext_vip"]
    assert "verifyhost officewebapps01.contoso.com" in backends["be_lync_vip_443_owas_fe"]


def test_a_forwarded_name_missing_on_the_pools_certificate_is_an_error_finding(data_copy):
    import officenet
    from officenet.derive.checks import run_checks
    from officenet.model.scenario import Scenario
    # the Front End's external web certificate loses the meet simple URL that the reverse proxy forwards
    edit(data_copy, "certificates", "fe_webext_meet", name="meeting.{domain}")
    design = officenet.load(data_copy)
    found = [f for f in run_checks(design, Scenario.default_for(design)) if f.check == "name_on_certificate"]
    refused = [f for f in found if f.subject.startswith("vip_services:")]
    assert refused and all(f.severity == "error" for f in refused)
    assert any("meet.contoso.com" in f.detail and "lync_web_external" in f.detail and "refuses" in f.detail
               for f in refused), refused
    assert "verifyhost webext.contoso.com" in haproxy_config(design, sni=SNI)  # the export still names the rest


def test_a_pool_with_no_certificate_carrying_a_forwarded_name_blocks_the_export(data_copy):
    import officenet
    # the Office Web Apps farm's certificate no longer carries the name the reverse proxy routes to it
    edit(data_copy, "certificates", "owas_farm", name="officeweb.{domain}")
    (p,) = [p for p in blocked(data_copy) if p.file == "certificates.csv"]
    assert p.column == "component" and "officewebapps01.contoso.com" in p.found and "'owas_fe'" in p.found
    with pytest.raises(LbConfigError, match="officewebapps01.contoso.com"):
        haproxy_config(officenet.load(data_copy), sni=SNI)


def test_names_of_a_pool_that_lost_its_listener_are_no_certificate_finding(data_copy):
    """Exercise 5's colleague sends the reverse proxy's Lync traffic to port 443 of the external web VIP:
    the proxy's listener then forwards to the Office Web Apps farm alone. The Lync names reaching the farm
    are the port mistake's echo (vip_port_mismatch reports it), not a certificate of the farm to mend."""
    import officenet
    from officenet.derive.checks import run_checks
    from officenet.model.scenario import Scenario
    edit(data_copy, "ports", "rp_to_web_4443", port="443")
    design = officenet.load(data_copy)
    found = run_checks(design, Scenario.default_for(design))
    assert any(f.check == "vip_port_mismatch" for f in found)
    assert not [f for f in found if f.subject.startswith("vip_services:") and f.check == "name_on_certificate"]
    server = next(l for l in haproxy_config(design, sni=SNI).splitlines() if "server owas_internal" in l)
    assert "verifyhost officewebapps01.contoso.com" in server
