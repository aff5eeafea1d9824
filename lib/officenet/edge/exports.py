"""Configuration exports of an organisation, written as one folder.

``export_texts`` is pure: every file's text, each made by the library built for it
(aerleon for the ACLs, dnspython for the zones, Jinja2 for HAProxy, PyYAML for the
scenario). ``write_exports`` is the thin edge: it renders everything first, writes
into a hidden folder beside the target and swaps it in with renames, so a failure
leaves the previous export untouched and never a half-written folder.
"""
from __future__ import annotations

import argparse
import os
import sys
import textwrap
import time
from pathlib import Path

from ..derive.certificates import certificate_plan, certificate_text
from ..derive.checks import blocking_problems
from ..derive.dns import nrpt_powershell
from ..model.errors import DesignError
from .files import atomic_write, replace_folder
from ..derive.acls import platform
from typing import Mapping
from ..loading.loader import load
from ..derive.organisation import Organisation, organisation
from ..loading.scenario_file import load_scenario
from ..model.scenario import ScenarioError, scenario_yaml

ACL_PLATFORMS = ("cisco", "juniper", "nftables")


def _eop_captured(org: Organisation) -> str:
    dates = sorted({r.captured.isoformat() for r in org.design.eop_ranges})
    return "as of " + ", ".join(dates) if dates else "no snapshot"


def _wrapped(text: str, indent: str = "    ") -> list[str]:
    return textwrap.wrap(text, 110, initial_indent=indent, subsequent_indent=indent)


def _readme(org: Organisation, files: list[str]) -> str:
    s, design = org.scenario, org.design
    lines = [
        f"officenet export for {s.name} ({s.domain})",
        "",
        "Addresses come from data/addresses.csv moved into the scenario's networks "
        f"(public {s.public_network}, internal {s.internal_network}); the EOP ranges are a dated snapshot "
        f"of Microsoft's published Exchange Online ranges (data/eop_ranges.csv, {_eop_captured(org)}): "
        "compare them with the current list before use. An IPv6 address (2001:db8::/32) is a placeholder.",
        "The ACLs are bound to the outside interface (Cisco GigabitEthernet0/0, Junos ge-0/0/0, nftables "
        "iifname/oifname \"outside\"): rename it to yours. IPv6 meets its own filter. The inbound filters "
        "first drop spoofed sources (RFC 2827), and every filter logs what it denies.",
        "Where NAT happens: the internal firewall translates the intranet servers' own connections; the gateway "
        "router only filters, so Cisco, Junos and nftables all match the translated sources (decision nat_where).",
        "Check before use: named-checkzone <zone> dns/<file>; nft -c -f acl/gateway-nftables.nft; "
        "haproxy -c -f loadbalancer/haproxy.cfg (with the certificates it names in place).",
    ]
    if design.nrpt_rules:
        lines.append("DirectAccess: dns/directaccess-nrpt.ps1 adds the NRPT on the DirectAccess server "
                     "(powershell -File directaccess-nrpt.ps1 -DnsIPAddress <DNS64 address>).")
    for kind, title in (("decision", "Decisions (data/export_decisions.csv)"),
                        ("left_out", "Left out, with the reason (data/export_decisions.csv)")):
        rows = [d for d in design.export_decisions if d.kind == kind]
        if rows:
            lines += ["", title + ":"]
            for d in rows:
                lines += [f"  {d.id}: {d.topic}", *_wrapped(d.decision), *_wrapped("Why: " + d.reason),
                          *_wrapped(f"Source: {d.source}")]
    return "\n".join([*lines, "", "Files:", *(f"  {name}" for name in files), ""])


def export_texts(org: Organisation, platforms=ACL_PLATFORMS, serial: int | None = None) -> dict[str, str]:
    """Relative path -> text of every file of the export (pure). ``serial``: the zones' SOA serial
    (None: derived from each zone's records). Raises ``DesignError`` naming each row to mend while the
    design has a blocking problem (``derive.checks.blocking_problems``): nothing wrong is exported."""
    problems = blocking_problems(org.design)
    if problems:
        raise DesignError(problems)
    out: dict[str, str] = {}
    for plat, text in org.acls(platforms).items():
        out[f"acl/gateway-{plat}{platform(plat).suffix}"] = text
    for name, text in org.zone_texts(serial).items():
        out[f"dns/{name}"] = text
    if org.design.nrpt_rules:
        out["dns/directaccess-nrpt.ps1"] = nrpt_powershell(org.design, org.scenario.domain,
                                                           org.scenario.internal_namespace, org.scenario.name)
    names = org.certificate_names()
    out["certificates/certificate-plan.txt"] = certificate_text(names, org.scenario.name)
    out["certificates/certificate-plan.csv"] = certificate_plan(names).to_csv(lineterminator="\n")
    out["loadbalancer/haproxy.cfg"] = org.haproxy()
    out["findings.csv"] = org.stoplight().to_csv(lineterminator="\n")
    out["scenario.yaml"] = scenario_yaml(org.scenario)
    out["README.txt"] = _readme(org, sorted(out))
    return dict(sorted(out.items()))


def write_exports(org: Organisation, directory: str | Path, platforms=ACL_PLATFORMS,
                  serial: int | None = None) -> list[Path]:
    """Write the export into ``directory`` (replacing a previous export there) atomically."""
    texts = export_texts(org, platforms, serial)  # everything rendered before anything is written
    return replace_folder(directory, texts)


def export_serial(given: int | None = None) -> int:
    """The zones' serial at the edge: the one given, else SOURCE_DATE_EPOCH (reproducible builds),
    else the time in seconds (BIND's 'unixtime' serial method): a re-export always grows."""
    if given is not None:
        return given
    return int(os.environ.get("SOURCE_DATE_EPOCH") or time.time())


def write_acls(texts: Mapping[str, str], directory: str | Path, name: str = "officenet-gateway") -> list[Path]:
    """Write each platform's text to DIRECTORY/NAME-PLATFORM.SUFFIX atomically (temp file + os.replace)."""
    return [atomic_write(Path(directory) / f"{name}-{plat_name}{platform(plat_name).suffix}", text)
            for plat_name, text in sorted(texts.items())]


def main(argv=None) -> int:
    """python -m officenet.edge.exports SCENARIO.yaml [--out FOLDER]: the export folder of one organisation."""
    parser = argparse.ArgumentParser(prog="python -m officenet.edge.exports", description=main.__doc__)
    parser.add_argument("scenario", help="a scenario file such as scenarios/fabrikam.yaml")
    parser.add_argument("--out", help="export folder (default: build/exports/<scenario file name>)")
    parser.add_argument("--data", help="design folder (default: data/)")
    parser.add_argument("--serial", type=int, help="SOA serial of the zones (default: SOURCE_DATE_EPOCH when "
                        "set, else the current time in seconds, so that every re-export grows)")
    args = parser.parse_args(argv)
    try:
        design = load(args.data) if args.data else load()
        org = organisation(design, load_scenario(args.scenario, design))
        out = Path(args.out or Path("build") / "exports" / Path(args.scenario).stem)
        written = write_exports(org, out, serial=export_serial(args.serial))
    except (ScenarioError, DesignError, ValueError, OSError) as error:
        print(error, file=sys.stderr)
        return 2
    light = org.stoplight()["light"].value_counts()
    print(f"{len(written)} files in {out}; findings: " + ", ".join(f"{int(light.get(c, 0))} {c}"
                                                                   for c in ("red", "amber", "green")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
