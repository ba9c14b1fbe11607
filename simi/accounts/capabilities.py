"""``simi/core/capabilities.py`` is generated from the role table here.

Capabilities are what a role may do and what an API token's scopes name
(``roles.ALL_SCOPES``). Every layer checks them (``actor.can("people:lookup")``),
including those below accounts, so the closed set of names lives in core as a
``Literal``: mypy refuses a misspelt capability anywhere, and ``User.can()``
refuses an unknown name at run time. ``make capabilities`` rewrites the core
module after a change to ``ALL_SCOPES``; a test fails while it is stale.
"""

from __future__ import annotations

import textwrap

from django.utils import translation

from simi.accounts.roles import ALL_SCOPES


def capabilities_source() -> str:
    lines = []
    with translation.override("en"):
        for name, description in ALL_SCOPES.items():
            lines += textwrap.wrap(
                str(description), 90, initial_indent="    # ", subsequent_indent="    # "
            )
            lines.append(f'    "{name}",')
    names = "\n".join(lines)
    return (
        '"""The closed set of capability names (API scopes).\n\n'
        "Generated from simi/accounts/roles.py (ALL_SCOPES) by `make capabilities`;\n"
        'do not edit by hand."""\n\n'
        "from typing import Literal, get_args\n\n"
        f"Capability = Literal[\n{names}\n]\n\n"
        "CAPABILITIES: frozenset[str] = frozenset(get_args(Capability))\n"
    )
