"""The portal's vocabulary (simi.core.codes)."""

from __future__ import annotations

from simi.core.codes import ErrorCode


class Code(ErrorCode):
    COMMENT_TOO_LONG = "comment_too_long", "A page-feedback comment is over 500 characters."
