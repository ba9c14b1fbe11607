"""A watchful browser page for walk tests: after every page it visits it
checks what a phone user would notice, and it records what went wrong on
the way.

``Watch(page)`` listens to the page: console errors, answers with a 5xx
status, pages that scroll sideways and accessibility violations that axe-core
(vendored in ``axe/``, injected into the page, never served to users) rates
serious or critical. ``watch.check(label)`` runs the page checks on what is
shown now; ``watch.problems`` lists every finding with the page it was on, so
a walk ends with one assertion that names them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AXE = Path(__file__).with_name("axe") / "axe.min.js"

# WCAG 2.1 A and AA, the level Indonesian public-service accessibility
# guidance and the accessibility statement (/aksesibilitas/) refer to.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RESOURCE_4XX = "Failed to load resource: the server responded with a status of 4"

# The innermost elements that reach past the right edge: what to fix.
WIDE_ELEMENTS = """width => {
  const wide = [...document.body.querySelectorAll('*')].filter(
    e => e.getBoundingClientRect().right > width + 1);
  const innermost = wide.filter(e => ![...e.children].some(c => wide.includes(c)));
  const classes = e => typeof e.className === 'string' && e.className
    ? '.' + e.className.trim().replace(/ +/g, '.') : '';
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + classes(e);
  return innermost.slice(0, 4).map(
    e => name(e) + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)');
}"""


@dataclass
class Watch:
    page: Any
    problems: list[str] = field(default_factory=list)
    pages_checked: list[str] = field(default_factory=list)
    _refused_pages: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        # Chromium logs every 4xx page as "Failed to load resource". A form
        # sent with a mistake is answered 422/409 with the page and its error
        # summary on purpose: that is the page's status, not a broken script
        # or a missing asset, which still count.
        url = (message.location or {}).get("url", "")
        if message.text.startswith(RESOURCE_4XX) and url in self._refused_pages:
            return
        self.problems.append(f"console error on {self.page.url}: {message.text}")

    def _response(self, response: Any) -> None:
        if response.status >= 500:
            self.problems.append(f"{response.status} from {response.url}")
        elif response.status >= 400 and response.request.resource_type == "document":
            self._refused_pages.add(response.url)

    def check(self, label: str) -> None:
        """Check the page shown now: no sideways scroll, no serious or critical
        axe finding."""
        page = self.page
        page.wait_for_load_state()
        where = f"{label} ({page.url})"
        self.pages_checked.append(where)
        width = page.evaluate("document.documentElement.scrollWidth")
        viewport = page.evaluate("window.innerWidth")
        if width > viewport:
            culprits = page.evaluate(WIDE_ELEMENTS, viewport)
            self.problems.append(
                f"{where}: scrolls sideways ({width} px in {viewport} px) from {culprits}"
            )
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
                self.problems.append(
                    f"{where}: axe {violation['impact']} {violation['id']}: "
                    f"{violation['help']} at {targets}"
                )
