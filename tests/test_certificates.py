"""The certificate plan and the organisation's DNS records, from the reference and for Fabrikam."""
import pytest

from officenet.derive.apply import apply_scenario
from officenet.derive.certificates import certificate_names, certificate_plan, certificate_text
from officenet.derive.dns import scenario_records
from officenet.model.scenario import Scenario
from officenet.loading.scenario_file import load_scenario

from conftest import ROOT, check_golden
from helpers import only_problem


@pytest.fixture(scope="module")
def fabrikam(design):
    scenario = load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design)
    return scenario, apply_scenario(design, scenario)


def sans(plan, cert):
    return plan.loc[cert, "subject alternative names"].split("; ")


def test_reverse_proxy_and_edge_certificates_follow_the_lync_docs(design):
    plan = certificate_plan(certificate_names(design))
    assert plan.loc["reverse_proxy", "subject"] == "webext.contoso.com"
    assert set(sans(plan, "reverse_proxy")) == {"webext.contoso.com", "dial.contoso.com", "meet.contoso.com",
                                               "lyncdiscover.contoso.com", "officewebapps01.contoso.com"}
    assert plan.loc["edge_external", "subject"] == "sip.contoso.com"
    assert sans(plan, "edge_external") == ["sip.contoso.com", "webcon.contoso.com"]
    assert plan.loc["edge_external", "optional names"] == "xmpp.contoso.com; contoso.com"  # XMPP only
    # The Lync docs ask the subject name only; the plan repeats it as the SAN (RFC 6125 6.4.4)
    assert plan.loc["edge_internal", "subject alternative names"] == "lsedge.contoso.com"
    assert plan.loc["edge_external", "issuer"] == "public" and plan.loc["edge_internal", "issuer"] == "internal"
    assert "av.contoso.com" not in " ".join(plan["subject alternative names"])


def test_every_public_name_on_a_certificate_is_a_subject_alternative_name(design):
    names = certificate_names(design)
    plan = certificate_plan(names)
    public = names[(names["role"] != "none") & names["dns"].isin(["external", "both"]) & (names["optional"] != "yes")]
    assert len(public) >= 15
    for _, row in public.iterrows():
        assert row["name"] in sans(plan, row["certificate"]), (row["certificate"], row["name"])
    assert sans(plan, "exchange")[0] == "mail.contoso.com"  # the subject leads the list


def test_certificate_plan_golden(design):
    check_golden("tables/certificate_plan.csv",
                 certificate_plan(certificate_names(design)).to_csv(lineterminator="\n"))


def test_fabrikam_names_drop_office_web_apps_and_vpn_and_keep_directaccess(fabrikam):
    scenario, derived = fabrikam
    names = certificate_names(derived, scenario.domain, scenario.internal_namespace, scenario.products)
    assert not names["name"].str.contains("officewebapps").any()
    assert "da.fabrikam.com" in set(names["name"]) and "nls.corp.fabrikam.com" in set(names["name"])
    assert "vpn.fabrikam.com" not in set(names["name"])
    assert set(names["name"].str.split(".", n=1).str[1]) <= {"fabrikam.com", "corp.fabrikam.com",
                                                            "_domainkey.fabrikam.com"}  # DKIM names: DNS only
    text = certificate_text(names, "Fabrikam")
    assert "[reverse_proxy]\nissuer = public CA" in text and "san = DNS:lyncdiscover.fabrikam.com" in text


def test_fabrikam_dns_records(fabrikam):
    scenario, derived = fabrikam
    records = scenario_records(derived, scenario)
    ext = records[records["view"] == "external"]
    names = set(ext["name"])
    assert {"sip.fabrikam.com", "lyncdiscover.fabrikam.com", "webext.fabrikam.com", "mail.fabrikam.com",
            "da.fabrikam.com"} <= names
    assert not {"officewebapps01.fabrikam.com", "vpn.fabrikam.com"} & set(records["name"])
    assert ext[ext["type"] == "MX"]["value"].tolist() == ["fabrikam-com.mail.protection.outlook.com"]
    assert set(ext[ext["name"] == "da.fabrikam.com"]["value"]) == {"203.0.113.30"}


def test_direct_mail_records_and_own_networks(design):
    scenario = Scenario.default_for(design).with_(mail="direct", public_network="192.0.2.0/24", internal_network="172.16.0.0/16")
    records = scenario_records(apply_scenario(design, scenario), scenario)
    ext = records[records["view"] == "external"]
    assert ext[ext["type"] == "MX"]["value"].tolist() == ["mail.contoso.com"]
    assert not ext["value"].str.contains("protection.outlook.com").any()
    assert set(ext[ext["name"] == "mail.contoso.com"]["value"]) == {"192.0.2.21"}  # same host number
    intr = records[records["view"] == "internal"]
    assert set(intr[intr["name"] == "mail.contoso.com"]["value"]) == {"172.16.2.20"}


def test_a_network_too_small_for_the_plan_is_a_clear_error(design):
    from officenet.derive.addresses import AddressPlanError, address_plan
    with pytest.raises(AddressPlanError, match="da_teredo.*host number 31.*choose a larger network"):
        address_plan(design, public_network="192.0.2.0/27")


def test_bad_certificate_role_names_file_row_and_column(data_copy):
    line, p = only_problem(data_copy, "certificates", "rp_meet", role="subjectaltname")
    assert (p.file, p.row, p.column) == ("certificates.csv", line, "role") and "san" in p.expected


def test_certificate_of_an_unknown_component_is_a_clear_error(data_copy):
    line, p = only_problem(data_copy, "certificates", "rp_meet", component="reverse_prox")
    assert (p.file, p.row, p.column) == ("certificates.csv", line, "component")
