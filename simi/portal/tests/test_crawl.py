"""Every page a persona can reach from the menus, in both languages.

For the demo office (``seed_demo``) and each persona (anonymous, an
applicant, every staff role, a partner), a crawler starts at the home page,
follows the main menu and then every link on the pages it finds (same site,
up to ``MAX_PAGES``), and submits every form it met once with nothing filled
in. Nothing is listed by hand: a new page joins the crawl as soon as a menu
or a page links to it. It fails on

- any answer 500 or above;
- an untranslated string: on an Indonesian page, a piece of text that is an
  English message of the catalogue whose Indonesian differs; on an English
  page, a piece of text that is the Indonesian translation of a different
  English message.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils.translation import trans_real

from simi.accounts.models import User
from simi.accounts.roles import Role
from simi.core.countries import country_names

pytestmark = pytest.mark.django_db(transaction=True)

MAX_PAGES = 160
# The same page with other query strings (filters, pages of a list): a few suffice.
MAX_VARIANTS = 3
# Never followed: signing out ends the crawl's session, the language switch
# changes what the crawl checks, the API has its own contract tests, files
# are not pages.
SKIPPED = re.compile(r"^/(keluar/|i18n/|api/|static/|media/|metrics)|^/en/(keluar/|i18n/|api/)")
TEXT_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
ADMIN = "/admin/"
ALL_MESSAGES: set[str] = set()
LANGUAGE_NAMES = {"English", "Bahasa Indonesia", "Inggris", "Indonesian"}


@dataclass
class Page:
    links: list[str] = field(default_factory=list)
    menu_links: list[str] = field(default_factory=list)
    forms: list[tuple[str, str]] = field(default_factory=list)  # (method, action)
    texts: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    """Links, forms and the visible text of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._skip = 0
        self._nav = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in {"script", "style", "template"}:
            self._skip += 1
        if tag == "nav":
            self._nav += 1
        if tag == "a" and values.get("href"):
            self.page.links.append(values["href"])
            if self._nav:
                self.page.menu_links.append(values["href"])
        if tag == "form":
            method = values.get("method", "get").lower()
            self.page.forms.append((method, values.get("action", "")))
        for name in TEXT_ATTRIBUTES & values.keys():
            self.page.texts.append(values[name])
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.page.texts.append(values["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._skip:
            self._skip -= 1
        if tag == "nav" and self._nav:
            self._nav -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.page.texts.append(data)


def _read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.page.texts = [" ".join(text.split()) for text in reader.page.texts]
    reader.page.texts = [text for text in reader.page.texts if text]
    return reader.page


def _catalogue() -> dict[str, str]:
    """English message -> Indonesian, for the messages whose Indonesian differs."""
    catalog = trans_real.translation("id")._catalog  # the merged catalogue of every app
    # A TranslationCatalog has keys() but no __iter__.
    ALL_MESSAGES.update(msgid for msgid in catalog.keys() if isinstance(msgid, str))  # noqa: SIM118
    return {
        msgid: msgstr
        for msgid, msgstr in catalog.items()
        if isinstance(msgid, str) and msgid and msgstr and msgstr != msgid
    }


def _untranslated(texts: list[str], language: str, messages: dict[str, str]) -> set[str]:
    # The language switch names each language in its own tongue, on purpose.
    texts = [text for text in texts if text not in LANGUAGE_NAMES]
    # Country names are data (simi/core/data/countries.csv) in the page's language.
    texts = [text for text in texts if text not in country_names(language)]
    if language == "id":
        english = {msgid for msgid in messages if re.search(r"[A-Za-z]{3}", msgid)}
        return {text for text in texts if text in english}
    # A word that is also an English message (a place-name kept as is, such
    # as "Kecamatan") is English too.
    indonesian = set(messages.values()) - ALL_MESSAGES
    return {text for text in texts if text in indonesian and re.search(r"[A-Za-z]{3}", text)}


def _local(base: str, href: str) -> str | None:
    """The site path ``href`` leads to from ``base``, or None when it leaves."""
    target = urlsplit(urljoin(f"http://testserver{base}", href))
    if target.scheme not in {"http", "https"} or target.netloc != "testserver":
        return None
    path = target.path + (f"?{target.query}" if target.query else "")
    return None if SKIPPED.search(target.path) else path


def _sign_in(client_for: Callable[..., Client], user: User | None, language: str) -> Client:
    client = Client() if user is None else client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@dataclass
class Crawl:
    pages: dict[str, int] = field(default_factory=dict)  # path -> status
    problems: list[str] = field(default_factory=list)
    forms: set[tuple[str, str]] = field(default_factory=set)  # (page path, action path)
    actions: set[str] = field(default_factory=set)  # each action is sent once


def _crawl(client: Client, language: str, messages: dict[str, str]) -> Crawl:
    crawl = Crawl()
    queue: deque[tuple[str, bool]] = deque([("/", True)])
    variants: dict[str, int] = {}
    while queue and len(crawl.pages) < MAX_PAGES:
        path, from_menu = queue.popleft()
        if path in crawl.pages:
            continue
        bare = path.split("?")[0]
        if "?" in path:
            if variants.get(bare, 0) >= MAX_VARIANTS:
                continue
            variants[bare] = variants.get(bare, 0) + 1
        response = client.get(path, follow=False)
        crawl.pages[path] = response.status_code
        if response.status_code >= 500:
            crawl.problems.append(f"GET {path} answered {response.status_code}")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            target = _local(path, response["Location"])
            if target:
                queue.appendleft((target, from_menu))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = _read(response.content.decode())
        # Django's own admin speaks Django's catalogue (and hard-codes a few
        # words): only its answers are checked, not its wording.
        if not path.startswith(ADMIN):
            for text in sorted(_untranslated(page.texts, language, messages)):
                crawl.problems.append(f"{path} shows untranslated {text!r}")
        # The menu first, so that every menu page is crawled within the cap.
        for href in page.menu_links:
            target = _local(path, href)
            if target:
                queue.appendleft((target, True))
        for href in page.links:
            target = _local(path, href)
            if target:
                queue.append((target, False))
        for method, action in page.forms:
            target = _local(path, action or path)
            # A form every page carries (the footer's "Was this page
            # helpful?") is sent once, from the first page it was met on.
            if target and method == "post" and target not in crawl.actions:
                crawl.actions.add(target)
                crawl.forms.add((path, target))
    return crawl


def _submit_empty(
    crawl: Crawl, sign_in: Callable[[], Client], language: str, messages: dict[str, str]
) -> Iterator[str]:
    for page, action in sorted(crawl.forms):
        client = sign_in()  # a form may end the session (a new password, say)
        response = client.post(action, {}, HTTP_REFERER=f"http://testserver{page}")
        if response.status_code >= 500:
            status = response.status_code
            yield f"POST {action} (the form on {page}) with nothing filled in answered {status}"
            continue
        if "text/html" in response.get("Content-Type", "") and not action.startswith(ADMIN):
            html = response.content.decode()
            texts = _read(html).texts
            for text in sorted(_untranslated(texts, language, messages)):
                yield f"POST {action} (empty) shows untranslated {text!r}"
            if response.status_code in (400, 422) and "<form" in html:
                yield from _summary_problems(action, html)


SUMMARY = re.compile(r"<div[^>]*\brole=\"alert\"[^>]*\bautofocus\b[^>]*>(.*?)</div>", re.S)


def _summary_problems(action: str, html: str) -> Iterator[str]:
    """A form sent back with mistakes opens on its error summary: it takes
    focus (autofocus) and each of its links leads to a field on the page."""
    summary = SUMMARY.search(html)
    if summary is None:
        yield f"POST {action} (empty): the page has no error summary that takes focus"
        return
    for target in re.findall(r'href="#([^"]+)"', summary.group(1)):
        if f'id="{target}"' not in html:
            yield f"POST {action} (empty): the error summary links to #{target}, not on the page"


PERSONAS = ["anonymous", "partner", *[role.value for role in Role if role != Role.PARTNER]]


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_persona_reaches_every_page_and_empty_form_without_a_5xx_or_untranslated_text(
    language: str, client_for: Callable[..., Client], catalogue: None
) -> None:
    # given the demo office (on the offices and catalogue of the data
    # migrations, reloaded after the previous test's flush)
    call_command("seed_demo", verbosity=0)
    messages = _catalogue()
    problems: list[str] = []
    reached: dict[str, int] = {}
    for persona in PERSONAS:
        user = (
            None
            if persona == "anonymous"
            else User.objects.filter(role=persona, is_active=True, is_demo=True)
            .order_by("pk")
            .first()
        )
        if persona != "anonymous":
            assert user is not None, f"the demo office has no {persona}"
        # when the persona crawls from the home page and sends every form empty
        client = _sign_in(client_for, user, language)
        crawl = _crawl(client, language, messages)
        problems += [f"[{persona}] {problem}" for problem in crawl.problems]
        problems += [
            f"[{persona}] {problem}"
            for problem in _submit_empty(
                crawl, lambda user=user: _sign_in(client_for, user, language), language, messages
            )
        ]
        reached[persona] = len(crawl.pages)
    # then nothing answered 5xx and nothing was left untranslated
    assert problems == [], "\n".join(problems)
    # and the crawl really went somewhere for everyone
    assert all(count >= 5 for count in reached.values()), reached
    assert reached["applicant"] > reached["anonymous"]
