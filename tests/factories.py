"""Test data: factories for every model, and users for each role of the office."""

import datetime
from contextlib import contextmanager

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Article, ArticlePolicyDocument, PolicyDocument, Source
from bulletin import freezing
from bulletin.roles import STAFF_ROLES, sync_groups
from issues.models import BoardMember, Issue, Publication, Section


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = "信息摘编"
    slug = factory.Sequence(lambda n: f"pub-{n}")
    publisher = "天津港保税区文教局（图书档案馆、地方志编修办公室）"
    phones = "（022）84925879\n（022）84925819"
    website = "http://www.taeacc.org.cn"
    email = "zdd@adm.tjftz.gov.cn"
    address = "天津空港经济区东四道 8 号"

    @factory.post_generation
    def with_sections(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.add_standard_sections()


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    publication = factory.SubFactory(PublicationFactory, with_sections=False)
    name = factory.Sequence(lambda n: f"栏目{n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    default_position = factory.Sequence(lambda n: n)


class IssueFactory(factory.django.DjangoModelFactory):
    """An issue of 信息摘编 with its sections applied from the publication's template."""

    class Meta:
        model = Issue
        skip_postgeneration_save = True

    publication = factory.SubFactory(PublicationFactory)
    year = 2023
    number = factory.Sequence(lambda n: n + 1)
    cumulative_number = factory.LazyAttribute(lambda o: 18 + o.number)
    period_start = datetime.date(2023, 7, 16)
    period_end = datetime.date(2023, 8, 15)

    @factory.post_generation
    def with_sections(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.apply_section_template()

    @factory.post_generation
    def with_board(self, create, extracted, **kwargs):
        if create and extracted is not False:
            for position, name in enumerate(["沈习春", "薛晓莹"]):
                BoardMember.objects.create(
                    issue=self,
                    role=BoardMember.Role.CHIEF_EDITOR,
                    name=name,
                    position=position,
                )
            for position, name in enumerate(["张欣", "朱丹丹"]):
                BoardMember.objects.create(
                    issue=self,
                    role=BoardMember.Role.DEPUTY_EDITOR,
                    name=name,
                    position=position,
                )


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = "人民日报"
    kind = Source.Kind.NEWSPAPER


class ArticleFactory(factory.django.DjangoModelFactory):
    """A complete news item; pass issue=… (and section=…) to place it."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    issue = None
    title = factory.Sequence(lambda n: f"关于促进民营经济发展壮大的意见解读（{n}）")
    body = "<p>为促进民营经济发展壮大，中共中央、国务院今日发布意见。</p>"
    source = factory.SubFactory(SourceFactory)
    source_date = datetime.date(2023, 7, 19)
    original_url = factory.Sequence(lambda n: f"https://mp.weixin.qq.com/s/item{n}")
    position = factory.Sequence(lambda n: n)

    @factory.lazy_attribute
    def section(self):
        if self.issue is None:
            return None
        return self.issue.ordered_sections().first()


class PolicyDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PolicyDocument

    title = factory.Sequence(lambda n: f"关于促进民营经济发展壮大的意见（{n}）")
    url = factory.Sequence(lambda n: f"https://mp.weixin.qq.com/s/policy{n}")


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticlePolicyDocument

    article = factory.SubFactory(ArticleFactory)
    policy_document = factory.SubFactory(PolicyDocumentFactory)


def fill_issue(issue: Issue, per_section: int = 1) -> list[Article]:
    """Give every section of the issue complete articles so it passes preflight."""
    articles = []
    for section in issue.ordered_sections():
        for _ in range(per_section):
            kind = section.default_kind
            extra = {}
            if kind == Article.Kind.BOOK:
                extra = {"book_title": "中国经济增长十年展望", "book_author": "刘世锦"}
            if kind == Article.Kind.RESEARCH:
                extra = {"abstract": "人工智能技术是智联时代具有通用目的战略技术。"}
            articles.append(
                ArticleFactory(issue=issue, section=section, kind=kind, **extra)
            )
    return articles


def make_user(role: str | None = None, *, username: str | None = None, superuser=False):
    """A user in one of the office's groups (bulletin/roles.py), or a superuser."""
    User = get_user_model()
    username = username or (role or ("admin" if superuser else "nobody"))
    if superuser:
        return User.objects.create_superuser(username=username, password="pw")
    user = User.objects.create_user(
        username=username, password="pw", is_staff=role in STAFF_ROLES
    )
    if role:
        if not Group.objects.filter(name=role).exists():
            # A transactional test's flush empties the groups the migration made.
            sync_groups()
        user.groups.add(Group.objects.get(name=role))
    return user


@contextmanager
def arranged():
    """Test set-up that puts content into a frozen issue as if it had been there
    at publication (the freeze guard refuses such writes everywhere else)."""
    with freezing.workflow():
        yield
