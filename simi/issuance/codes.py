"""Audit actions and error codes of issuance (docs/codes.md)."""

from simi.core.codes import AuditAction, ErrorCode


class Action(AuditAction):
    DOCUMENT_ISSUED = "issuance.document_issued", "A document was issued with its seal."
    DOCUMENT_REVOKED = "issuance.document_revoked", "A supervisor revoked a document."
    DOCUMENT_VIEWED = "issuance.document_viewed", "Staff opened an issued document."
    DOCUMENT_WITHDRAWN_UNCOLLECTED = (
        "issuance.document_withdrawn_uncollected",
        "A document not collected in time was withdrawn.",
    )
    SEAL_KEY_REGISTERED = "issuance.seal_key_registered", "A seal-signing key was registered."
    SEAL_KEY_WITHDRAWN = "issuance.seal_key_withdrawn", "A seal-signing key was withdrawn."


class Code(ErrorCode):
    NUMBER_INVALID = "number_invalid", "The document number does not have a valid form."
    MRZ_NOT_APPLICABLE = "mrz_not_applicable", "Only passports and visas carry an MRZ."
    MRZ_MISMATCH = "mrz_mismatch", "The MRZ does not match the document's data."
    MRZ_INVALID = "mrz_invalid", "The MRZ cannot be built from the data given."
    VALIDITY_REVERSED = "validity_reversed", "The document expires before it is issued."
    NUMBER_TAKEN = "number_taken", "A document of this kind with this number exists."
    SEAL_KEY_WITHDRAWN = "seal_key_withdrawn", "The seal key was withdrawn; no new seals."
    NOT_ISSUING_SUPERVISOR = (
        "not_issuing_supervisor",
        "Only a supervisor of the issuing office may revoke.",
    )
    ALREADY_REVOKED = "already_revoked", "The document is already revoked."
    PHOTO_NOT_AN_IMAGE = (
        "photo_not_an_image",
        "The file sent as a photo of a seal is not a JPEG, PNG or WebP picture.",
    )
    PHOTO_NO_QR = "photo_no_qr", "No QR code could be read in the photo of a seal."
    PHOTO_NOT_A_SEAL = "photo_not_a_seal", "The QR code in the photo is not a SIMI seal."
