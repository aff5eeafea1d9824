"""Test certificates made with the ``cryptography`` package: a public and an internal test CA,
and one certificate per certificate of an organisation's plan (subject and SANs as planned),
written where the exported HAProxy file expects them (<certificate>.pem, internal-ca.pem)."""
from __future__ import annotations

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NOW = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


class Authority:
    def __init__(self, cn: str):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(cn))
                     .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
                     .not_valid_before(NOW).not_valid_after(NOW + datetime.timedelta(days=3650))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                     .sign(self.key, hashes.SHA256()))

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    def issue(self, subject: str, sans: list[str]) -> bytes:
        """Certificate, key and this CA's certificate in one PEM (HAProxy's crt format)."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(self.cert.subject)
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(NOW).not_valid_after(NOW + datetime.timedelta(days=3650))
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]), critical=False)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .sign(self.key, hashes.SHA256()))
        return (cert.public_bytes(serialization.Encoding.PEM) + self.pem()
                + key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))


def write_plan_certificates(plan, directory: Path) -> dict[str, list[str]]:
    """One PEM per certificate of ``plan`` (officenet.derive.certificates.certificate_plan), issued by the
    test CA of its issuer; public-ca.pem and internal-ca.pem beside them. Returns certificate -> SANs."""
    directory.mkdir(parents=True, exist_ok=True)
    cas = {"public": Authority("officenet test public CA"), "internal": Authority("officenet test internal CA")}
    out = {}
    for cert, row in plan.iterrows():
        sans = [n for n in row["subject alternative names"].split("; ") if n]
        (directory / f"{cert}.pem").write_bytes(cas[row["issuer"]].issue(row["subject"], sans or [row["subject"]]))
        out[cert] = sans
    for issuer, ca in cas.items():
        (directory / f"{issuer}-ca.pem").write_bytes(ca.pem())
    return out
