import pytest

from api.models import ApiToken
from tests.factories import (
    AttachmentFactory,
    IssueFactory,
    SourceFactory,
    fill_issue,
    make_user,
)
from tests.issues.test_reading import publish


@pytest.fixture
def published(db):
    """2023 第八期, published: one item per section, the first with a tag and a
    policy document."""
    issue = IssueFactory(number=8, cumulative_number=26)
    fill_issue(issue)
    first = issue.articles.in_print_order().first()
    first.tags.set(["民营经济"])
    first.keywords = "民营经济，高质量发展"
    first.save()
    AttachmentFactory(
        article=first, policy_document__title="关于促进民营经济发展壮大的意见"
    )
    return publish(issue)


@pytest.fixture
def draft(db):
    """2023 第九期, still being edited: its items carry the word 草稿."""
    issue = IssueFactory(number=9, cumulative_number=27)
    for article in fill_issue(issue):
        article.title = f"草稿{article.pk}：民营经济"
        article.source = SourceFactory(name="草稿来源")
        article.save()
    return issue


@pytest.fixture
def harvester(db):
    return make_user(username="harvester")


@pytest.fixture
def token(harvester):
    record = ApiToken(name="档案馆采集", owner=harvester)
    secret = record.generate()
    record.save()
    return secret


@pytest.fixture
def login_required(settings):
    settings.BULLETIN_REQUIRE_LOGIN = True
