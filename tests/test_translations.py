"""The interface is written in English and shown in Chinese: msgids are English,
and every catalogue entry has its Chinese translation."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u3400-\u9fff]")
CATALOGUES = sorted(
    path
    for path in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
    if ".venv" not in path.parts
)


def test_there_are_catalogues():
    assert CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_entry_is_translated_and_no_msgid_is_chinese(path):
    import polib

    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    chinese = [entry.msgid for entry in catalogue if HAN.search(entry.msgid)]
    assert (untranslated, fuzzy, chinese) == ([], [], [])


def test_templates_carry_no_chinese_outside_the_catalogue():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.glob("**/templates/**/*.html"))
        if ".venv" not in path.parts
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if HAN.search(line)
    ]
    assert found == []


GETTEXT_CALL = re.compile(
    r"\b(?:_|gettext|gettext_lazy|ngettext|ngettext_lazy|pgettext|pgettext_lazy)"
    r"\(\s*(?:\"[^\"]*\"|'[^']*')"
)
APPS = (
    "articles",
    "issues",
    "archive",
    "search",
    "editions",
    "bulletin",
    "notifications",
    "desk",
    "oai",
    "api",
    "repeats",
    "links",
    "collect",
    "feeds",
)


def test_no_msgid_in_the_code_is_chinese():
    found = [
        f"{path.relative_to(ROOT)}:{source[: match.start()].count(chr(10)) + 1}"
        for app in APPS
        for path in sorted((ROOT / app).glob("**/*.py"))
        if "migrations" not in path.parts
        for source in [path.read_text("utf-8")]
        for match in GETTEXT_CALL.finditer(source)
        if HAN.search(match.group())
    ]
    assert found == []
