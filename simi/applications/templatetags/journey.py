"""{% journey_steps status as steps %}: the status stepper's steps."""

from __future__ import annotations

from django import template

from simi.applications.progress import Step, journey

register = template.Library()


@register.simple_tag
def journey_steps(status: str) -> list[Step]:
    return journey(status)
