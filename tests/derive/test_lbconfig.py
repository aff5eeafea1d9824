"""The HAProxy export: derived VIP services, checked by HAProxy itself."""
import re
import shutil
import subprocess

import pytest

from officenet.derive.apply import apply_scenario
from officenet.derive.lbconfig import LbConfigError, haproxy_config, vip_services
from officenet.loading.scenario_file import load_scenario

from conftest import ROOT

SNI = {"owas_fe": "officewebapps01.contoso.com"}


def haproxy_check(tmp_path, text):
    """haproxy -c on the text, with test certificates of the plan where it expects them."""
    from officenet.derive.certificates import certificate_names, certificate_plan
    from officenet.derive.lbconfig import CERT_DIR
    from pki import write_plan_certificates
    if shutil.which("haproxy") is None:
        pytest.fail("haproxy is not installed: run 'make test', which installs it")
    from officenet import load
    write_plan_certificates(certificate_plan(certificate_names(load())), tmp_path / "certs")
    path = tmp_path / "haproxy.cfg"
    path.write_text(text.replace(CERT_DIR, str(tmp_path / "certs")))
    return subprocess.run(["haproxy", "-c", "-f", str(path)], capture_output=True, text=True)


def test_vip_services_translate_lync_web_ports(design):
    pairs = {(s.vip, s.listener_port[0], s.backend, s.backend_port[0]) for s in vip_services(design)}
    assert ("lync_vip", 443, "lync_web_ext_vip", 4443) in pairs
    assert ("lync_vip", 80, "lync_web_ext_vip", 8080) in pairs
    assert ("exchange_vip", 25, "exchange_cas", 25) in pairs
    affinity = {(s.vip, s.backend) for s in vip_services(design) if s.persistence != "none"}
    # Source affinity on the internal web services VIP; client affinity for Office Web Apps, on the
    # reverse proxy as on the farm's own VIP.
    assert affinity == {("lync_web_int_vip", "lync_pool"), ("lync_vip", "owas_fe")}


def test_reference_config_passes_haproxy_check(design, tmp_path):
    text = haproxy_config(design, sni=SNI)
    result = haproxy_check(tmp_path, text)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "use_backend be_lync_vip_443_owas_fe if { ssl_fc_sni -i officewebapps01.contoso.com }" in text
    assert "bind 203.0.113.20:443 ssl crt /etc/haproxy/certs/reverse_proxy.pem" in text  # TLS ends here
    # The layer-7 HLB of the internal web services bridges TLS with the pool's web internal certificate,
    # the one that carries every name resolving to that VIP.
    assert re.search(r"bind [\d.]+:443 ssl crt /etc/haproxy/certs/lync_web_internal.pem", text)
    assert "balance source" in text  # internal web services VIP keeps source affinity
    assert "timeout client 1800s" in text


def test_fabrikam_config_passes_haproxy_check(design, tmp_path):
    derived = apply_scenario(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design))
    text = haproxy_config(derived)  # no Office Web Apps: no shared listener, no names needed
    assert "owas" not in text
    assert haproxy_check(tmp_path, text).returncode == 0


def test_a_broken_config_fails_the_real_check(design, tmp_path):
    text = haproxy_config(design, sni=SNI).replace("balance roundrobin", "balance nonsense", 1)
    assert haproxy_check(tmp_path, text).returncode != 0


def test_shared_listener_without_a_name_is_a_clear_error(design):
    with pytest.raises(LbConfigError, match="name the host name of 'owas_fe'"):
        haproxy_config(design)


def test_output_is_deterministic(design):
    assert haproxy_config(design, sni=SNI) == haproxy_config(design, sni=SNI)


def test_pool_members_named_in_the_address_plan_are_the_servers(design):
    text = haproxy_config(design, sni=SNI)
    fe = {a.id: a.address for a in design.addresses if a.component == "lync_pool"}
    assert set(fe) == {"lync_fe01", "lync_fe02"}
    for name, address in fe.items():
        assert f"server {name} {address}:4443 check port 5061" in text  # the probe of vip_services.csv
    moved = haproxy_config(design, internal_network="172.16.0.0/16", sni=SNI)
    assert "server lync_fe01 172.16.2.41:4443 check port 5061" in moved  # same host number in the scenario's network


@pytest.mark.parametrize("scenario", ["contoso", "fabrikam"])
def test_names_of_both_views_reach_a_frontend_and_public_binds_are_permitted(design, scenario):
    import re

    from officenet.derive.addresses import address_plan
    from officenet.derive.organisation import organisation
    org = organisation(design, load_scenario(ROOT / "scenarios" / f"{scenario}.yaml", design))
    text = org.haproxy()
    binds = set(re.findall(r"^    bind (\S+):(\d+)", text, re.M))
    plan = address_plan(org.design, org.scenario.public_network, org.scenario.internal_network)
    vips = {s.vip for s in vip_services(org.design)}
    vip_addresses = {row.address for row in plan if row.component in vips}
    records = org.records()
    a = records[(records["type"] == "A") & records["value"].isin(vip_addresses)]
    assert len(a) >= 8
    bound = {address for address, _ in binds}
    for _, row in a.iterrows():  # mail, autodiscover, the SharePoint names: on both views
        assert row["value"] in bound, (row["view"], row["name"], row["value"])
    public = {row.address for row in plan if row.view == "external"}
    reachable = org.reachable()
    outside = {(address, int(port)) for address, port in binds if address in public}
    assert outside and outside <= reachable  # no listener the gateway never lets the Internet reach
    assert not any(port == "80" for address, port in binds if address in public)


def test_a_probe_haproxy_cannot_run_is_a_clear_error(data_copy):
    import officenet
    from helpers import edit
    from helpers import blocked
    edit(data_copy, "vip_services", "ex_443", probe="ICMP echo to each server")
    (p,) = blocked(data_copy)  # an error finding, and the export refuses before any file is written
    assert (p.file, p.column) == ("vip_services.csv", "probe") and "ICMP echo to each server" in p.found
    assert "'ex_443'" in p.found and "HTTPS GET /path" in p.fix


def test_health_checks_and_persistence_follow_vip_services(design):
    text = haproxy_config(design, sni=SNI)
    # The layer-4 Exchange VIP probes one protocol: 'HTTPS GET /owa/healthcheck.htm'.
    assert "http-check send meth GET uri /owa/healthcheck.htm" in text
    # the probe opens TLS with the server line's check options (check-ssl, check-sni: HAProxy 2.6, 5.2);
    # 'http-check connect ssl' would send no server name
    # (Exchange's, and the reverse proxy's to the Office Web Apps farm: /hosting/discovery)
    assert text.count("http-check connect default") == 2 and "http-check connect ssl" not in text
    assert ("server exchange_cas_1 10.10.4.1:443 check check-ssl check-sni mail.contoso.com verify required "
            "ca-file /etc/haproxy/certs/public-ca.pem verifyhost mail.contoso.com\n") in text


def test_a_probe_per_virtual_directory_expands_to_every_vdir(data_copy):
    import officenet
    from helpers import edit
    edit(data_copy, "vip_services", "ex_443", probe="HTTPS GET /<vdir>/healthcheck.htm")
    design = officenet.load(data_copy)
    text = haproxy_config(design, sni=SNI)
    vdirs = [v.vdir for v in design.exchange_vdirs]
    for vdir in vdirs:
        assert f"http-check send meth GET uri /{vdir}/healthcheck.htm" in text
    assert text.count("http-check connect default") == len(vdirs) + 1  # and the Office Web Apps farm's
    assert "server lync_fe01 10.10.2.41:443 check port 5061" in text  # 'TCP 5061 on each Front End'
    assert text.count("balance source") == 2  # the internal web services VIP's two listeners (source_address)


def test_a_layer7_vip_without_its_certificate_blocks_the_export(data_copy):
    # Found by make fuzz: a mutant loaded, then the HAProxy export failed far away (LbConfigError).
    import officenet
    from helpers import edit
    from helpers import blocked
    edit(data_copy, "vip_services", "sp_443", layer="7")  # the SharePoint VIP would end TLS; no certificate names it
    (p,) = blocked(data_copy)
    assert (p.file, p.column, p.found) == ("certificates.csv", "component", "no certificate")
    assert "sharepoint_vip" in p.expected


# --- The probes ask as a client does --------------------------------------------------------------------
# HAProxy's 'http-check send' defaults to HTTP/1.0 with no Host (HAProxy 2.6 manual, http-check send: "the
# Host field is mandatory in HTTP/1.1, use hdr"); a server whose site is bound to its host name answers such a
# request with an error, and a probe without the namespace is not what a client sends. Each probe is HTTP/1.1
# with the name HAProxy verifies on the servers' certificate (check-sni), and only 200 keeps a server.
PROBED = {"exchange_cas": "/owa/healthcheck.htm", "exchange_mailbox": "/<vdir>/healthcheck.htm",
          "owas_fe": "/hosting/discovery"}  # vip_services.csv: X-LB/X-HC, X-SE-LB, OWAS-DEPLOY/OOS-DEPLOY


def _checked_backends(text):
    """backend -> (its http-check lines as word lists, its server lines as word lists)."""
    out, name = {}, None
    for line in text.splitlines():
        words = line.split()
        if line.startswith("backend "):
            name = words[1]
            out[name] = ([], [])
        elif not line.startswith(" "):
            name = None
        elif name and words[:1] in (["http-check"], ["option"]):
            out[name][0].append(words)
        elif name and words[:1] == ["server"]:
            out[name][1].append(words)
    return out


@pytest.mark.parametrize("scenario", ["contoso", "fabrikam", "contoso-current", "everything"])
def test_every_http_probe_is_http11_with_the_certificates_host_and_expects_200(design, scenario):
    from officenet.derive.certificates import certificate_plan
    from officenet.derive.organisation import organisation
    from officenet.derive.reencrypt import names_on
    org = organisation(design, load_scenario(ROOT / "scenarios" / f"{scenario}.yaml", design))
    names = names_on(certificate_plan(org.certificate_names()))
    on_plan = {n for ns in names.values() for n in ns}
    vdirs = [v.vdir for v in org.design.exchange_vdirs]
    probed, split = set(), 0
    for backend, (checks, servers) in _checked_backends(org.haproxy()).items():
        sends = [w for w in checks if w[:2] == ["http-check", "send"]]
        base, _, segment = backend.partition(".")  # be_<vip>_<port>_<pool>.<path>: one probed path's backend
        pool = next((p for p in PROBED if base.endswith("_" + p)), None)
        if not sends:
            # every HTTPS pool the vendor pages give a URL is probed by it (SMTP, POP, IMAP: TCP connects)
            assert pool is None or not backend.split(f"_{pool}")[0].endswith("_443"), backend
            continue
        probed.add(pool)
        hosts = {s[s.index("check-sni") + 1] for s in servers}
        assert len(hosts) == 1 and hosts <= on_plan, (backend, hosts)  # one name, on the servers' certificate
        (host,) = hosts
        for i, words in enumerate(sends):
            assert words[words.index("ver") + 1] == "HTTP/1.1", words
            assert words[words.index("hdr") + 1:words.index("hdr") + 3] == ["Host", host], words
        expects = [w for w in checks if w[:2] == ["http-check", "expect"]]
        assert expects == [["http-check", "expect", "status", "200"]] * len(sends), backend
        paths = [w[w.index("uri") + 1] for w in sends]
        wanted = [PROBED[pool].replace("<vdir>", v) for v in vdirs] if "<vdir>" in PROBED[pool] else [PROBED[pool]]
        assert paths == ([u for u in wanted if u.split("/")[1] == segment] if segment else wanted), (backend, paths)
        split += bool(segment)
    assert ({"exchange_mailbox"} if org.scenario.release == "current" else {"exchange_cas"}) <= probed
    assert ("owas_fe" in probed) == any(s.backend == "owas_fe" for s in vip_services(org.design))
    # at layer 7 (today's Exchange VIP) each virtual directory has a backend of its own (X-SE-LB, scenario B)
    assert split == (len(vdirs) if org.scenario.release == "current" else 0)


def test_a_clear_text_http_probe_asks_for_the_name_on_the_pools_certificate(data_copy):
    """An 'HTTP GET' probe (no TLS, so no check-sni to take the name from) still sends HTTP/1.1 with a Host:
    the first name of the pool's certificate in the plan, the namespace clients use."""
    import officenet
    from helpers import edit
    edit(data_copy, "vip_services", "ex_80", probe="HTTP GET /owa/healthcheck.htm")
    text = haproxy_config(officenet.load(data_copy), sni=SNI)
    block = text[text.index("\nbackend be_exchange_vip_80_"):].split("\n\n")[0]
    assert "http-check connect\n" in block and "check-ssl" not in block and "verify" not in block
    assert "http-check send meth GET uri /owa/healthcheck.htm ver HTTP/1.1 hdr Host mail.contoso.com" in block


def test_a_clear_text_probe_of_a_pool_without_a_certificate_blocks_the_export(data_copy):
    from helpers import blocked, edit
    edit(data_copy, "vip_services", "sp_80", probe="HTTP GET /")  # no certificate of the plan names the farm
    (p,) = blocked(data_copy)
    assert (p.file, p.column) == ("vip_services.csv", "probe") and "sp_80" in p.found and "Host" in p.expected
