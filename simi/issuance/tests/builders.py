"""Things the issuance tests build: MRZ fields, foreign keys, seals."""

from datetime import date

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from simi.issuance.mrz import MrzFields


def passport_mrz(number: str, valid_until: date) -> MrzFields:
    return MrzFields(
        document_code="P",
        issuing_state="IDN",
        primary_identifier="Eriksson",
        secondary_identifier="Ánna María",
        document_number=number,
        nationality="SWE",
        birth_date=date(1974, 8, 12),
        sex="F",
        expiry_date=valid_until,
    )


def other_p256_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def pem_of(key: ec.EllipticCurvePrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
