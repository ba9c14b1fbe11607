"""The portal's writes: the public's answers to "Was this page helpful?"."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from simi.core.errors import ValidationFailed
from simi.portal.codes import Code
from simi.portal.models import MAX_COMMENT_LENGTH, PageFeedback

MAX_PATH_LENGTH = 200


def feedback_page_path(raw: str) -> str:
    """The site path a vote is about: a local path only, without the query
    string (which may hold search terms), cut to the column's length."""
    path = (raw or "").split("?", 1)[0].split("#", 1)[0]
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path[:MAX_PATH_LENGTH]


@transaction.atomic
def page_feedback_record(*, path: str, answer: str, comment: str, language: str) -> PageFeedback:
    """Store one vote. Anonymous on purpose (no account, no address), so it
    is not audited: the row is the whole record and holds no decision."""
    if answer not in PageFeedback.Answer.values:
        raise ValidationFailed.for_field("answer", _("Choose yes or no."))
    comment = comment.strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        raise ValidationFailed.for_field(
            "comment",
            _("Your comment is too long: at most %(limit_value)d characters.")
            % {"limit_value": MAX_COMMENT_LENGTH},
            code=Code.COMMENT_TOO_LONG,
        )
    return PageFeedback.objects.create(
        path=feedback_page_path(path),
        answer=answer,
        comment=comment or None,
        language=language[:10],
    )
