"""The HAProxy export: derived VIP services, checked by HAProxy itself."""
import shutil
import subprocess

import pytest

from officenet.apply import apply_scenario
from officenet.lbconfig import LbConfigError, haproxy_config, vip_services
from officenet.scenario import load_scenario

from conftest import ROOT

SNI = {"owas_fe": "officewebapps01.contoso.com"}


def haproxy_check(tmp_path, text):
    if shutil.which("haproxy") is None:
        pytest.fail("haproxy is not installed: run 'make test', which installs it")
    path = tmp_path / "haproxy.cfg"
    path.write_text(text)
    return subprocess.run(["haproxy", "-c", "-f", str(path)], capture_output=True, text=True)


def test_vip_services_translate_lync_web_ports(design):
    pairs = {(s.vip, s.listen_port, s.pool, s.pool_port) for s in vip_services(design)}
    assert ("lync_vip", 443, "lync_web_ext_vip", 4443) in pairs
    assert ("lync_vip", 80, "lync_web_ext_vip", 8080) in pairs
    assert ("exchange_vip", 25, "exchange_cas", 25) in pairs
    affinity = {s.vip for s in vip_services(design) if s.affinity}
    assert affinity == {"lync_web_int_vip"}


def test_reference_config_passes_haproxy_check(design, tmp_path):
    text = haproxy_config(design, sni=SNI)
    result = haproxy_check(tmp_path, text)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "use_backend be_lync_vip_443_owas_fe if { req.ssl_sni -i officewebapps01.contoso.com }" in text
    assert "balance source" in text  # internal web services VIP keeps source affinity
    assert "timeout client 1800s" in text


def test_fabrikam_config_passes_haproxy_check(design, tmp_path):
    derived = apply_scenario(design, load_scenario(ROOT / "scenarios" / "fabrikam.yaml"))
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
        assert f"server {name} {address}:4443 check" in text
    moved = haproxy_config(design, internal_network="172.16.0.0/16", sni=SNI)
    assert "server lync_fe01 172.16.2.41:4443 check" in moved  # same host number in the scenario's network
