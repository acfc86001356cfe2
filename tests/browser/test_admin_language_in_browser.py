"""Every admin page a role can reach speaks Chinese: a real browser walks, as
each staff role, the pages linked from the admin (lists, add and change forms,
histories, the screens of its own) and reads the text a person sees, including
what the admin's scripts write (calendars, pickers)."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from archive.models import ImportRun
from articles import corrections
from bulletin import roles
from issues.models import Publication
from tests.browser.test_correcting_in_browser import log_in
from tests.factories import ArticleFactory, IssueFactory, fill_issue, make_user

pytestmark = pytest.mark.django_db(transaction=True)

# Words a Chinese interface keeps in Latin letters (file formats among them).
ALLOWED = {
    "PDF", "WORD", "DOCX", "TXT", "UTF", "URL", "ISBN", "ID", "EMAIL", "RSS", "ATOM",
    "CSV", "XML", "HTML", "HTM", "MHTML", "MHT",
}  # fmt: skip
URL = re.compile(r"(https?://|www\.)\S+|\S+@\S+|\S+\.(txt|pdf|docx)\b")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# One page of each kind is enough: /admin/articles/article/7/change/ stands
# for every item's form.
SKIP = re.compile(r"/(logout|delete|password)/|/r/\d+/|/jsi18n/|/file/$|/download/")
MAX_PAGES = 120
PHONE_WIDTH = 390


def page_kind(path: str) -> str:
    return re.sub(r"/\d+/", "/N/", path)


@pytest.fixture
def content(db, published_issue):
    """What a month in the office leaves: a published issue with a correction, a
    draft being compiled, items in the pool, an import run."""
    draft = IssueFactory(number=9, cumulative_number=27)
    fill_issue(draft)
    ArticleFactory(issue=None, section=None)
    chief = make_user(roles.CHIEF_EDITOR, username="walk-chief")
    article = published_issue.articles.in_print_order().first()
    with corrections.recording(user=chief, articles=[article], reason="错字"):
        article.title = article.title + "（更正）"
        article.save()
    run = ImportRun(original_name="2023-07.txt", uploaded_by=chief)
    run.file.save("2023-07.txt", ContentFile("信息摘编".encode()), save=False)
    run.save()
    return draft


# The text shown, and the tooltips; icon fonts' ligature names ("format_bold")
# are drawn as icons, not read.
READABLE_TEXT = """() => {
    const icons = [...document.querySelectorAll('.material-icons')];
    const hidden = icons.map(icon => [icon, icon.textContent]);
    hidden.forEach(([icon]) => { icon.textContent = ''; });
    const text = document.body.innerText;
    hidden.forEach(([icon, content]) => { icon.textContent = content; });
    const tips = [...document.querySelectorAll('[title]')].map(e => e.title);
    return [text, ...tips].join('\\n');
}"""


def english_on(page, data_words: set[str]) -> list[str]:
    """Latin words a person reads on the page, outside links and user names."""
    text = page.evaluate(READABLE_TEXT)
    text = URL.sub("", text)
    return sorted(
        {
            word
            for word in LATIN_WORD.findall(text)
            if word.upper() not in ALLOWED and word.lower() not in data_words
        }
    )


def walk(page, start: str, check) -> dict[str, list[str]]:
    """{path: what check(page) found} over the admin pages reachable from `start`."""
    origin = urlsplit(start)
    queue, seen_kinds, found = [start], set(), {}
    while queue and len(seen_kinds) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        if page_kind(path) in seen_kinds:
            continue
        seen_kinds.add(page_kind(path))
        response = page.goto(url)
        if response is None or 400 <= response.status < 500:
            continue
        if response.status >= 500:
            found[path] = ["server error"]
            continue
        problems = check(page)
        if problems:
            found[path] = problems
        for href in page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.getAttribute('href'))"
        ):
            target = urlsplit(urljoin(url, href))
            if (
                target.netloc == origin.netloc
                and target.path.startswith("/admin/")
                and not SKIP.search(target.path)
                and page_kind(target.path) not in seen_kinds
            ):
                queue.append(f"{origin.scheme}://{origin.netloc}{target.path}")
    return found


@pytest.mark.parametrize("role", ["editor", "chief", "archivist"])
def test_no_english_on_any_admin_page_a_role_reaches(
    browser, live_server, content, role, request
):
    request.getfixturevalue(role)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    log_in(page, live_server, role)
    # Names the data gives (user names, slugs) are not the interface's words.
    data = [*User.objects.values_list("username", flat=True)]
    data += Publication.objects.values_list("slug", flat=True)
    data_words = {w.lower() for value in data for w in LATIN_WORD.findall(value)}
    english = walk(
        page, f"{live_server.url}/admin/", lambda p: english_on(p, data_words)
    )
    assert english == {}, english


def sideways_scroll(page) -> list[str]:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    return [f"scrollWidth {width}"] if width > PHONE_WIDTH else []


def test_no_admin_page_scrolls_sideways_on_a_phone(
    browser, live_server, content, chief
):
    """Wide tables scroll inside their own box; the page itself does not."""
    page = browser.new_page(
        viewport={"width": PHONE_WIDTH, "height": 800}, locale="zh-CN"
    )
    log_in(page, live_server, "chief")
    wide = walk(page, f"{live_server.url}/admin/", sideways_scroll)
    assert wide == {}, wide
