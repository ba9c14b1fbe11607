"""Hooks: the handlers settings name run in order with the event; a wrong
path is a configuration error that names it."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from simi.core.hooks import hook_handlers, named, run_hook

CALLS = []


def first(**event):
    CALLS.append(("first", event))
    return 1


def second(**event):
    CALLS.append(("second", event))
    return 2


def test_it_runs_the_named_handlers_in_order(settings):
    CALLS.clear()
    settings.SIMI_HOOKS = {
        "test.happened": [f"{__name__}.first", f"{__name__}.second"],
    }
    assert run_hook("test.happened", thing=7) == [1, 2]
    assert CALLS == [("first", {"thing": 7}), ("second", {"thing": 7})]


def test_a_hook_nobody_listens_to_runs_nothing(settings):
    settings.SIMI_HOOKS = {}
    assert hook_handlers("test.unheard") == ()
    assert run_hook("test.unheard", thing=1) == []


def test_a_path_that_does_not_import_is_named_in_the_error():
    with pytest.raises(ImproperlyConfigured, match=r"simi\.core\.nowhere\.handler"):
        named("simi.core.nowhere.handler")
