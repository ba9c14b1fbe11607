"""Audit actions of the audit app itself (docs/codes.md)."""

from simi.core.codes import AuditAction


class Action(AuditAction):
    KEYS_ROTATED = "audit.keys_rotated", "Personal data was re-encrypted to the active key."


FORMERLY = {Action.KEYS_ROTATED: "keys.rotated"}
