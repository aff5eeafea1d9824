"""DNS records, zone files parsed back with dnspython, split-brain checks, the DNS explorer."""
import dns.rdatatype
import dns.zone
import pytest

import officenet
from officenet import DesignError
from officenet.derive.dns import BadDomain, check_domain, dns_checks, dns_records, zone_origins, zone_text
from officenet.explorers.walkthrough_explorers import DnsExplorer

from conftest import check_golden
from helpers import edit, only_problem


@pytest.mark.parametrize("view", ["external", "internal"])
def test_zone_text_parses_back_with_dnspython(design, view):
    frame = dns_records(design, view=view)
    origins = zone_origins(design, view)
    seen, delegations = 0, []
    for origin in origins:
        text = zone_text(design, view, zone=origin)
        zone = dns.zone.from_text(text, origin=origin, relativize=False, check_origin=True)
        for name, rdataset in zone.iterate_rdatasets():
            if rdataset.rdtype == dns.rdatatype.SOA:
                continue
            owner = name.to_text(omit_final_dot=True)
            child = next((o for o in origins if o.endswith("." + origin)
                          and (owner == o or owner.endswith("." + o))), None)
            if child:  # the delegation of a child zone and its glue, also held by the child itself
                delegations.append((origin, child, owner, dns.rdatatype.to_text(rdataset.rdtype)))
                continue
            expected = frame[(frame["name"] == owner) & (frame["type"] == dns.rdatatype.to_text(rdataset.rdtype))]
            assert len(expected) == len(rdataset), (owner, rdataset)
            seen += len(rdataset)
    assert seen == len(frame)  # every record of the table is in exactly one zone
    if view == "internal":  # corp.<domain> is delegated from <domain>, with its name server's address as glue
        assert delegations == [("contoso.com", "corp.contoso.com", "corp.contoso.com", "NS"),
                               ("contoso.com", "corp.contoso.com", "dc01.corp.contoso.com", "A")]
    else:
        assert delegations == []


def test_split_brain_names(design):
    ext = dns_records(design, view="external")
    intr = dns_records(design, view="internal")
    assert "lyncdiscover.contoso.com" in set(ext["name"]) and "lyncdiscover.contoso.com" not in set(intr["name"])
    assert "lyncdiscoverinternal.contoso.com" in set(intr["name"]) and "lyncdiscoverinternal.contoso.com" not in set(ext["name"])
    assert "nls.corp.contoso.com" in set(intr["name"]) and not ext["name"].str.contains("corp").any()
    mx = ext[ext["type"] == "MX"]["value"].tolist()
    assert mx == ["contoso-com.mail.protection.outlook.com"]
    assert set(ext[ext["name"] == "sip.contoso.com"]["value"]) == {"203.0.113.10"}


def test_any_domain_and_namespace(design):
    frame = dns_records(design, "Fabrikam.ORG.", "ad.fabrikam.org")
    assert "_sipfederationtls._tcp.fabrikam.org" in set(frame["name"])
    assert "nls.ad.fabrikam.org" in set(frame["name"])
    assert not frame["name"].str.contains("contoso").any() and not frame["value"].str.contains("contoso").any()
    assert zone_origins(design, "internal", "fabrikam.org", "ad.fabrikam.org") == ["fabrikam.org", "ad.fabrikam.org"]


@pytest.mark.parametrize("bad", ["", "contoso", "bad_name.com", "-x.com", "x" * 64 + ".com", "10.0.0.1"])
def test_bad_domains_are_refused_with_a_reason(design, bad):
    with pytest.raises(BadDomain):
        check_domain(bad)
    with pytest.raises(BadDomain):
        dns_records(design, bad)


def test_checks_pass_on_the_reference_design(design):
    checks = dns_checks(dns_records(design), rules=design.checks)
    assert (checks["ok"] == "yes").all(), checks.to_string()


@pytest.mark.parametrize("rule, change", [
    ("lyncdiscover_external_only", lambda f: f.assign(view=f["view"].where(f.index != "ext_lyncdiscover", "internal"))),
    ("lyncdiscoverinternal_internal_only", lambda f: f.assign(view=f["view"].where(f.index != "int_lyncdiscoverinternal", "external"))),
    ("internal_namespace_private", lambda f: f.assign(view=f["view"].where(f.index != "int_nls", "external"))),
    ("srv_targets", lambda f: f.drop(index=["ext_xmpp"])),
    ("one_spf", lambda f: f.drop(index=["ext_spf"])),
    ("mx_to_eop", lambda f: f.assign(value=f["value"].where(f.index != "ext_mx", "mail.contoso.com"))),
])
def test_each_check_fails_when_its_rule_is_broken(design, rule, change):
    checks = dns_checks(change(dns_records(design)), rules=design.checks)
    assert checks.loc[rule, "ok"] == "NO"
    assert (checks.drop(index=rule)["ok"] == "yes").all()


def test_same_namespace_is_flagged(design):
    checks = dns_checks(dns_records(design, internal_namespace="contoso.com"), internal_namespace="contoso.com",
                        rules=design.checks)
    assert checks.loc["separate_namespace", "ok"] == "NO"


def test_golden_records_and_zones(design):
    check_golden("tables/dns_records.csv", dns_records(design).to_csv(lineterminator="\n"))
    for view in ("external", "internal"):
        check_golden(f"dns/{view}.dot", officenet.dns_dot(design, view))
        for origin in zone_origins(design, view):
            check_golden(f"dns/{view}_{origin}.zone", zone_text(design, view, zone=origin))


def test_bad_placeholder_in_a_record_template(data_copy):
    line, p = only_problem(data_copy, "dns_records", "ext_sip", value="{ip:edge_acess}")
    assert (p.file, p.row, p.column) == ("dns_records.csv", line, "value") and "edge_access" in p.fix


def test_srv_without_port_and_a_record_without_address(data_copy):
    line = edit(data_copy, "dns_records", "ext_sip_tls", port="")
    line_a = edit(data_copy, "dns_records", "ext_mail", value="mail.{domain}")
    with pytest.raises(DesignError) as info:
        officenet.load(data_copy)
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(line, "port"), (line_a, "value")}


def test_address_outside_its_network(data_copy):
    line, p = only_problem(data_copy, "addresses", "edge_access", address="198.51.100.10")
    assert (p.file, p.row, p.column) == ("addresses.csv", line, "address") and "203.0.113.0/24" in p.expected


def test_dns_explorer_redraws_on_view_and_domain(design):
    ex = DnsExplorer(design)
    assert ex.output.value.count("<svg") == 1
    external = ex.output.value.split("<h4>")[0].split("</svg>")[1]  # the record table, before checks and zones
    assert "lyncdiscover.contoso.com" in external and "lyncdiscoverinternal" not in external
    ex.controls["view"].value = "internal"
    assert "lyncdiscoverinternal.contoso.com" in ex.output.value and "nls.corp.contoso.com" in ex.output.value
    ex.controls["domain"].value = "fabrikam.org"
    assert "pool01.fabrikam.org" in ex.output.value and "contoso" not in ex.output.value
    ex.controls["domain"].value = "not a domain"
    assert "Not a valid DNS name" in ex.output.value and "Traceback" not in ex.output.value
    ex.controls["domain"].value = "fabrikam.org"
    ex.controls["product"].value = "exchange"
    assert "mail.fabrikam.org" in ex.output.value and "pool01" not in ex.output.value.split("<h4>")[0]


def test_dns_dot_links_names_to_addresses_and_components(design):
    dot = officenet.dns_dot(design, "external")
    srv, a = officenet.derive.dns.RECORD_COLOUR["SRV"], officenet.derive.dns.RECORD_COLOUR["A"]
    assert f'"n:_sip._tls.contoso.com" -> "n:sip.contoso.com" [color="{srv}", fontcolor="{srv}", label="SRV 443"' in dot
    assert f'"n:sip.contoso.com" -> "a:203.0.113.10" [color="{a}", style="solid"]' in dot
    assert '"a:203.0.113.10" -> "c:lync_edge"' in dot
    legend = officenet.derive.dns.dns_figure(design, "external").legend
    drawn = set(officenet.dns_records(design, view="external")["type"]) - {"TXT"}
    kinds = [k for k, meaning in officenet.derive.dns.RECORD_MEANING.items() if meaning in {e.label for e in legend}]
    assert set(kinds) == drawn | {"answers"} and [e.label for e in legend] == [officenet.derive.dns.RECORD_MEANING[k] for k in kinds]
    assert all(f'color="{e.colour}"' in dot for e in legend)
    assert "nls" not in dot and "nls.corp.contoso.com" in officenet.dns_dot(design, "internal")


@pytest.mark.parametrize("column, value, expected", [
    ("address", "300.1.1.1", "IPv4 address"),
    ("network", "198.51.100.1/24", "a network such as"),
])
def test_bad_address_cells(data_copy, column, value, expected):
    line, p = only_problem(data_copy, "addresses", "edge_access", **{column: value})
    assert (p.file, p.row, p.column, p.found) == ("addresses.csv", line, column, value) and expected in p.expected


def test_own_addresses_and_mx_token_replace_the_examples(design):
    frame = dns_records(design, "fabrikam.org", addresses={"edge_access": "192.0.2.99"}, mx="fabrikam-org01c")
    assert set(frame[frame["name"] == "sip.fabrikam.org"]["value"]) == {"192.0.2.99"}
    assert frame.loc["ext_mx", "value"] == "fabrikam-org01c.mail.protection.outlook.com"
    assert frame.loc["ext_mail", "value"] == "203.0.113.21"  # not overridden: the table's address


def test_dns_rule_text_lives_in_checks_csv():
    from officenet.derive.dns import DNS_RULES, dns_rules
    from officenet.loading.loader import load_rules
    rows = {r.id: r for r in load_rules()}
    # Every rule dns_findings tests has its statement, severity and source in checks.csv, and only there.
    assert [r.id for r in dns_rules(load_rules())] == [k for k in rows if k in DNS_RULES] and set(DNS_RULES) <= set(rows)
    assert all(rows[k].statement for k in DNS_RULES)
    assert rows["lyncdiscover_external_only"].statement == "lyncdiscover.<domain> is in external DNS only"
    assert not hasattr(__import__("officenet.derive.dns").derive.dns, "CHECKS")


def test_a_txt_text_over_255_bytes_is_written_as_several_strings_that_join_back(design):
    domain = ".".join(["d" * 60] * 3) + "." + "e" * 20 + ".com"  # the ownership-proof text: over 255 bytes
    records = dns_records(design, domain, mx="example-com")  # the default token would be a label of 207
    proof = records[(records["type"] == "TXT") & records["value"].str.contains("DomainName")]
    assert len(proof) == 1 and len(proof["value"].iloc[0].encode()) > 255
    zone = dns.zone.from_text(zone_text(design, "external", domain, records=records),
                              check_origin=False)
    texts = [b"".join(rd.strings).decode() for _, _, rd in zone.iterate_rdatas(dns.rdatatype.TXT)]
    assert proof["value"].iloc[0] in texts
    assert all(len(s) <= 255 for _, _, rd in zone.iterate_rdatas(dns.rdatatype.TXT) for s in rd.strings)
