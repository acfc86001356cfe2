"""Articles made of sentences from the sample issue (2023 年第八期), for search tests."""

import datetime

import pytest

from issues.models import Issue
from tests.factories import (
    ArticleFactory,
    AttachmentFactory,
    IssueFactory,
    PolicyDocumentFactory,
    SourceFactory,
    arranged,
)

# Sentences as the PDF text layer gives them, spaces and all.
FORTUNE = (
    "<p>8 月 2 日，2023 年《财富》世界 500 强榜单揭晓，和往年相比发生了不少变化。"
    "今年的世界 500强里，“榜一大哥”依然没有变化，沃尔玛连续第十年位居榜首。</p>"
)
MEDICAL = (
    "<p>国家医保局日前对《谈判药品续约规则》进行调整完善并发布，"
    "国家医保局有关负责人表示，通过完善续约规则，稳定企业预期。</p>"
)
DIRECTORS = (
    "<p>国务院办公厅印发《关于上市公司独立董事制度改革的意见》，"
    "优化上市公司独立董事制度，提升独立董事履职能力。</p>"
)
FREE_TRADE = (
    "<p>天津自贸试验区率先试点对接 CPTPP、DEPA 等国际高标准经贸规则，"
    "持续优化营商环境。</p>"
)
PRIVATE = (
    "<p>民营经济是推进中国式现代化的生力军，是高质量发展的重要基础。"
    "为促进民营经济发展壮大，中共中央、国务院今日发布意见。</p>"
)
SMES = (
    "<p>工业和信息化部公布第五批专精特新“小巨人”企业名单，"
    "支持中小企业走专精特新发展道路。</p>"
)


@pytest.fixture(autouse=True)
def _content_arranged_freely():
    """Search tests put content into published issues and edit it directly, to
    see the index follow every kind of write; the freeze that refuses such
    writes elsewhere is tested in tests/issues/test_permanence.py."""
    with arranged():
        yield


@pytest.fixture
def published_issue(db):
    issue = IssueFactory(year=2023, number=8)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    issue.refresh_from_db()
    return issue


@pytest.fixture
def older_issue(db):
    issue = IssueFactory(year=2023, number=7)
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.PUBLISHED)
    issue.refresh_from_db()
    return issue


@pytest.fixture
def draft_issue(db):
    return IssueFactory(year=2023, number=9)


@pytest.fixture
def sample(published_issue):
    """Six articles of the sample issue, by a short name."""
    people = SourceFactory(name="人民日报")
    xinhua = SourceFactory(name="新华社")
    articles = {
        "fortune": ArticleFactory(
            issue=published_issue,
            title="2023年《财富》世界500强排行榜揭晓",
            body=FORTUNE,
            source=SourceFactory(name="财富中文网"),
            kind="ranking",
            source_date=datetime.date(2023, 8, 2),
        ),
        "medical": ArticleFactory(
            issue=published_issue,
            title="国家医保局调整谈判药品续约规则",
            body=MEDICAL,
            source=xinhua,
            source_date=datetime.date(2023, 7, 20),
        ),
        "directors": ArticleFactory(
            issue=published_issue,
            title="上市公司独立董事制度改革",
            body=DIRECTORS,
            source=people,
            source_date=datetime.date(2023, 8, 1),
        ),
        "free_trade": ArticleFactory(
            issue=published_issue,
            title="天津自贸试验区对接国际高标准经贸规则",
            body=FREE_TRADE,
            source=xinhua,
            source_date=datetime.date(2023, 7, 25),
        ),
        "private": ArticleFactory(
            issue=published_issue,
            title="中共中央 国务院关于促进民营经济发展壮大的意见",
            body=PRIVATE,
            source=people,
            source_date=datetime.date(2023, 7, 19),
        ),
        "smes": ArticleFactory(
            issue=published_issue,
            title="第五批专精特新“小巨人”企业名单公布",
            body=SMES,
            source=people,
            abstract="工业和信息化部公布名单。",
            source_date=datetime.date(2023, 7, 30),
        ),
    }
    AttachmentFactory(
        article=articles["private"],
        policy_document=PolicyDocumentFactory(
            title="中共中央 国务院关于促进民营经济发展壮大的意见"
        ),
    )
    return articles
