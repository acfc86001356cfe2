"""Property-based: whatever the file, the importer raises only its documented error,
and an import either completes or writes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive import SAMPLE_ISSUE_PATH
from archive.importers import IssueImportError, parse_file
from archive.models import ImportMode
from archive.services import issue_import
from articles.models import Article, ArticlePolicyDocument, PolicyDocument, Source
from issues.models import Issue, IssueSection, Publication, Section

SAMPLE_LINES = SAMPLE_ISSUE_PATH.read_text(encoding="utf-8").splitlines(keepends=True)
MODELS = (Publication, Section, Issue, IssueSection, Article, Source, PolicyDocument,
          ArticlePolicyDocument)  # fmt: skip
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@st.composite
def damaged_samples(draw) -> bytes:
    """The sample with lines dropped, duplicated, replaced by junk, or cut short."""
    lines = list(SAMPLE_LINES)
    for _ in range(draw(st.integers(0, 6))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "duplicate", "junk", "truncate"]))
        if action == "drop":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "junk":
            lines[index] = draw(st.text(max_size=40)) + "\n"
        else:
            lines = lines[: max(index, 1)]
        if not lines:
            lines = [""]
    return "".join(lines).encode("utf-8", errors="surrogatepass")


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes_raise_only_the_importers_error(data):
    for name in ("issue.txt", "issue.pdf", "issue.docx"):
        try:
            parse_file(name, data)
        except IssueImportError:
            pass


@FUZZ
@given(text=st.text(max_size=3000))
def test_random_text_raises_only_the_importers_error(text):
    try:
        parse_file("issue.txt", text.encode("utf-8", errors="surrogatepass"))
    except IssueImportError:
        pass


@pytest.mark.django_db
@FUZZ
@given(data=damaged_samples())
def test_a_damaged_sample_imports_completely_or_writes_nothing(data):
    before = counts()
    try:
        parsed = parse_file("issue.txt", data)
        summary = issue_import(parsed, mode=ImportMode.REPLACE)
    except IssueImportError:
        assert counts() == before
        return
    issue = Issue.objects.get(pk=summary.issue_id)
    assert issue.articles.count() == summary.article_count
    # Clean up so the next example starts from the same database.
    Article.objects.filter(issue=issue).delete()
    issue.delete()
