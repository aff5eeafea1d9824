"""Scenario files: round trip, a clear error per broken field, atomic save."""
import os

import pytest

import officenet

from officenet.edge.scenario_files import save_scenario
from officenet.loading.scenario_file import load_scenario
from officenet.model.scenario import Scenario, ScenarioError, choices, scenario_from_dict, scenario_yaml

from conftest import ROOT


def test_reference_scenario_file_is_the_default(design):
    assert load_scenario(ROOT / "scenarios" / "contoso.yaml", design) == Scenario.default_for(design)


def test_a_scenario_alone_reads_no_design_and_checks_the_form_of_its_answers(design):
    # Not yet checked against a design: unanswered items stay open, words of the design are not judged yet.
    s = Scenario(products=("lync", "skype"))
    assert s.vocabulary is None and s.remote_access is None
    with pytest.raises(ScenarioError, match="skype"):
        s.checked(design)
    with pytest.raises(ScenarioError, match="public_network"):
        Scenario(public_network="10.0.0.1/8")


def test_fabrikam_file(design):
    s = load_scenario(ROOT / "scenarios" / "fabrikam.yaml", design)
    assert s.domain == "fabrikam.com" and "owas" not in s.products
    assert s.remote_access["sharepoint"] == "directaccess"


def test_round_trip(tmp_path, design):
    s = Scenario.default_for(design).with_(name="Fabrikam", domain="fabrikam.com", internal_namespace="corp.fabrikam.com",
                         pop_imap=True, remote_access={"lync": "vpn"})
    path = save_scenario(s, tmp_path / "f.yaml")
    assert load_scenario(path, design) == s


def error_for(tmp_path, text):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, officenet.load())
    return info.value


@pytest.mark.parametrize("text, field, found", [
    ("products: [lync, skype]\n", "products", "skype"),
    ("domain: 'https://contoso.com'\n", "domain", "https://contoso.com"),
    ("domain: contoso\n", "domain", "contoso"),
    ("public_network: 203.0.113.300/24\n", "public_network", "203.0.113.300/24"),
    ("public_network: 203.0.113.1/24\n", "public_network", "203.0.113.1/24"),
    ("pop_imap: 'maybe'\n", "pop_imap", "maybe"),
    ("remote_access: {lync: carrier_pigeon}\n", "remote_access.lync", "carrier_pigeon"),
    ("load_balancing: {lync_fax: dns}\n", "load_balancing.lync_fax", "lync_fax"),
    ("mail: smoke_signals\n", "mail", "smoke_signals"),
    ("colour: blue\n", "colour", "colour"),
])
def test_broken_field_is_named(tmp_path, text, field, found):
    error = error_for(tmp_path, text)
    assert [(p.file, p.column, p.found) for p in error.problems] == [("broken.yaml", field, found)]
    assert f"field '{field}'" in str(error)


def test_internal_namespace_must_differ_from_the_domain(tmp_path):
    error = error_for(tmp_path, "domain: fabrikam.com\ninternal_namespace: fabrikam.com\n")
    assert error.problems[0].column == "internal_namespace" and "corp.fabrikam.com" in error.problems[0].fix


def test_yaml_syntax_error_names_the_line(tmp_path):
    error = error_for(tmp_path, "name: x\nproducts: [lync\nmail: eop\n")
    assert error.problems[0].row is not None and "YAML" in error.problems[0].expected


def test_not_a_mapping():
    with pytest.raises(ScenarioError, match="mapping"):
        scenario_from_dict(["lync"])


def test_failed_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "mine.yaml"
    save_scenario(Scenario(), path)
    before = path.read_text()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        save_scenario(Scenario().with_(name="Changed"), path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["mine.yaml"], "no temporary file is left behind"


def test_yaml_text_is_stable():
    assert scenario_yaml(Scenario()) == scenario_yaml(Scenario())


OLD_FILE = """name: An older file
remote_access:
  lync: edge
load_balancing:
  lync_sip: hardware
  lync_web: hardware
  exchange: layer4_per_protocol
  sharepoint: layer7
"""


def test_an_older_files_words_load_as_the_datas_ids_with_a_warning(tmp_path, design):
    path = tmp_path / "old.yaml"
    path.write_text(OLD_FILE, encoding="utf-8")
    with pytest.warns(FutureWarning) as caught:
        s = load_scenario(path, design)
    messages = "\n".join(str(w.message) for w in caught)
    # Each old word is named with the word to write instead.
    for old, new in (("edge", "lync_edge"), ("lync_web", "lync_web_internal and lync_web_external"),
                     ("exchange", "exchange_cas"), ("sharepoint", "sharepoint_web")):
        assert f"'{old}' is an old word; write '{new}'" in messages
    assert s.remote_access["lync"] == "lync_edge"
    assert dict(s.load_balancing) == {"lync_sip": "layer4", "lync_web_internal": "layer7",
                                      "lync_web_external": "layer7", "exchange_cas": "layer4_per_protocol",
                                      "sharepoint_web": "layer7", "owas": "layer7"}
    # Saved again, the file speaks the data's words and loads without a warning.
    import warnings
    save_scenario(s, path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_scenario(path, design) == s
    assert ": edge\n" not in path.read_text() and "hardware" not in path.read_text()


def test_the_choices_are_the_datas_ids(design):
    from officenet.model.scenario import choices
    c = choices(design)
    assert c.vpn_protocols == tuple(v.id for v in design.vpn_protocols) == ("ikev2", "sstp", "l2tp_ipsec", "pptp")
    assert set(c.load_balancing) == {r.workload for r in design.lb_rules}
    options = {r.option for r in design.remote_access}
    for product, opts in c.remote_access.items():
        # every option is an option id of remote_access.csv, except the poster's "either tunnel"
        assert set(opts) - {"vpn_or_directaccess"} <= options, product
    assert c.remote_access["lync"][0] == "lync_edge"


def test_a_word_the_design_does_not_have_is_an_error_naming_the_choices(tmp_path):
    err = str(error_for(tmp_path, "name: X\nremote_access:\n  lync: skype\n"))
    assert "remote_access.lync" in err and "lync_edge" in err


def _domain(length: int) -> str:
    """A valid domain of exactly ``length`` characters (labels of up to 60, ending in .com)."""
    body, labels = length - 4, []
    while body > 0:
        take = min(60, body if body <= 61 else 60)
        labels.append("a" * take)
        body -= take + 1
    name = ".".join(labels) + ".com"
    assert len(name) == length, name
    return name


def test_a_domain_too_long_for_the_designs_longest_name_is_refused_at_the_field(design):
    from officenet.derive.organisation import organisation
    from officenet.edge.exports import export_texts
    longest = choices(design).longest_names["domain"]
    room = 253 - (len(longest) - len("{domain}"))
    ok = Scenario.default_for(design, domain=_domain(room), internal_namespace="corp.example.net", mail="direct")
    texts = export_texts(organisation(design, ok))  # every zone and file is written without an error
    assert any(_domain(room) in t for t in texts.values())
    with pytest.raises(ScenarioError) as err:
        Scenario.default_for(design, domain=_domain(room + 1), internal_namespace="corp.example.net", mail="direct")
    assert [p.column for p in err.value.problems] == ["domain"]
    assert f"at most {room} characters" in str(err.value) and longest in str(err.value)


def test_the_eop_mx_token_needs_a_domain_that_fits_in_one_label(design):
    with pytest.raises(ScenarioError) as err:
        Scenario.default_for(design, domain=_domain(64), mail="eop", internal_namespace="corp.example.net")
    assert [p.column for p in err.value.problems] == ["domain"] and "63" in str(err.value)
    Scenario.default_for(design, domain=_domain(63), mail="eop", internal_namespace="corp.example.net")
    Scenario.default_for(design, domain=_domain(64), mail="direct", internal_namespace="corp.example.net")
