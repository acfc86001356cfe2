"""Demo data for a new machine: the sample issue's masthead and a few of its items.

Idempotent: run it again and nothing is duplicated. It refuses to run with DEBUG
off, because it creates users with published passwords.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.models import Article, ArticlePolicyDocument, PolicyDocument, Source
from bulletin.text import plain_text_to_html
from issues import roles, services
from issues.models import BoardMember, Issue, Publication, Section

DEMO_USERS = [
    ("editor", "demo-editor-pass", roles.EDITOR),
    ("chief", "demo-chief-pass", roles.CHIEF_EDITOR),
    ("archivist", "demo-archivist-pass", roles.ARCHIVIST),
    ("reader", "demo-reader-pass", roles.READER),
]

SECTIONS = [
    ("热点关注", "redian", "news"),
    ("行业动向", "hangye", "news"),
    ("国际视野", "guoji", "news"),
    ("国内动态", "guonei", "news"),
    ("自贸专题", "zimao", "news"),
    ("国研专稿", "guoyan", "research"),
    ("企业排行榜", "paihang", "ranking"),
    ("新书推荐", "xinshu", "book"),
]

ITEMS = [
    {
        "section": "热点关注",
        "title": "中共中央、国务院发布《关于促进民营经济发展壮大的意见》",
        "source": "人民日报",
        "date": datetime.date(2023, 7, 19),
        "url": "https://mp.weixin.qq.com/s/NNbwViL99UPMlgtxYihBhQ",
        "body": "为促进民营经济发展壮大，中共中央、国务院今日发布《关于促进民营经济发展壮大的意见》。\n\n"
        "《意见》提出，持续破除市场准入壁垒。各地区各部门不得以备案、注册、年检、认定、认证、指定、"
        "要求设立分公司等形式设定或变相设定准入障碍。",
        "policy": "关于促进民营经济发展壮大的意见",
        "tags": ["民营经济", "营商环境"],
    },
    {
        "section": "热点关注",
        "title": "商务部：全面推进实施自贸试验区提升战略",
        "source": "环球网",
        "date": datetime.date(2023, 7, 19),
        "url": "",
        "body": "今年是自贸试验区建设十周年。商务部有关负责人表示，商务部将提升国际高标准经贸规则对接水平、"
        "提升市场准入水平、提升改革系统集成水平，全面推进实施自贸试验区提升战略。",
        "tags": ["自贸试验区"],
    },
    {
        "section": "行业动向",
        "title": "证监会发布《上市公司独立董事管理办法》",
        "source": "央广网",
        "date": datetime.date(2023, 8, 5),
        "url": "",
        "body": "中国证监会官网 4 日发布消息，为贯彻落实国务院办公厅《关于上市公司独立董事制度改革的意见》，"
        "优化上市公司独立董事制度，证监会近日发布《上市公司独立董事管理办法》，自 2023 年 9 月 4 日起施行。",
        "tags": ["独立董事"],
    },
    {
        "section": "国研专稿",
        "title": "智联时代人工智能赋能文化创意产业发展路径研究",
        "source": "《产业追踪》",
        "date": datetime.date(2023, 7, 31),
        "url": "",
        "kind": "research",
        "abstract": "人工智能技术是智联时代具有通用目的战略技术，基于人工智能新一代信息技术的文化创意产业"
        "不仅能拓展第三产业自身的发展，还调整着文旅、文博关联创意经济乃至数字经济的结构。",
        "keywords": "人工智能，文化创意产业，扬州",
        "body": "从工业时代，信息时代到智联时代，每一次科技革新都带来人类文明的跨越发展。",
    },
    {
        "section": "新书推荐",
        "title": "中国经济增长十年展望",
        "kind": "book",
        "book": {
            "book_title": "中国经济增长十年展望",
            "book_author": "刘世锦",
            "book_publisher": "中信出版集团",
            "book_publication_date": "2020-08",
            "book_summary": "本书以“战疫增长模式”为主题，在分析疫情对中国经济的影响的基础上，展望未来十年的增长前景。",
            "book_reason": "该套丛书入选《“十三五”国家重点图书、音像、电子出版物出版规划》。",
        },
    },
]


class Command(BaseCommand):
    help = "Load the demo publication, issue 2023 年第八期 and demo users (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "load_demo creates users with known passwords; it runs only with DEBUG on."
            )
        with transaction.atomic():
            publication = self._publication()
            issue = self._issue(publication)
            users = self._users()
            if not issue.is_published:
                # Through the real workflow, so the demo issue passes the same preflight.
                for step in ("submit", "approve", "publish"):
                    services.issue_transition(
                        issue=issue, user=users["chief"], name=step, comment="演示数据"
                    )
        self.stdout.write(
            self.style.SUCCESS(f"演示数据就绪：{publication} {issue}（已发布）")
        )
        self.stdout.write("演示账号（仅供本机开发使用）：")
        for username, password, role in DEMO_USERS:
            self.stdout.write(f"  {role:<4} 用户名 {username:<10} 密码 {password}")

    def _publication(self):
        publication, _ = Publication.objects.get_or_create(
            name="信息摘编",
            defaults={
                "slug": "xxzb",
                "publisher": "天津港保税区文教局（图书档案馆、地方志编修办公室）",
                "phones": "（022）84925879\n（022）84925819",
                "website": "http://www.taeacc.org.cn",
                "email": "zdd@adm.tjftz.gov.cn",
                "address": "天津空港经济区东四道 8 号",
            },
        )
        for position, (name, slug, kind) in enumerate(SECTIONS):
            Section.objects.get_or_create(
                publication=publication,
                name=name,
                defaults={
                    "slug": slug,
                    "default_position": position,
                    "default_kind": kind,
                },
            )
        return publication

    def _issue(self, publication):
        issue, created = Issue.objects.get_or_create(
            publication=publication,
            year=2023,
            number=8,
            defaults={
                "cumulative_number": 26,
                "period_start": datetime.date(2023, 7, 16),
                "period_end": datetime.date(2023, 8, 15),
                "publish_date": datetime.date(2023, 8, 20),
            },
        )
        if not created:
            return issue
        issue.apply_section_template()
        for role, names in ((BoardMember.Role.CHIEF_EDITOR, ["沈习春", "薛晓莹"]),
                            (BoardMember.Role.DEPUTY_EDITOR, ["张欣", "朱丹丹"])):  # fmt: skip
            for position, name in enumerate(names):
                BoardMember.objects.create(
                    issue=issue, role=role, name=name, position=position
                )
        sections = {s.name: s for s in publication.sections.all()}
        for position, item in enumerate(ITEMS):
            source = (
                Source.get_or_create_normalised(item["source"])[0]
                if "source" in item
                else None
            )
            article = Article.objects.create(
                issue=issue,
                section=sections[item["section"]],
                position=position,
                kind=item.get("kind", "news"),
                title=item["title"],
                source=source,
                source_date=item.get("date"),
                original_url=item.get("url", ""),
                body=plain_text_to_html(item.get("body", "")),
                abstract=item.get("abstract", ""),
                keywords=item.get("keywords", ""),
                **item.get("book", {}),
            )
            article.tags.set(item.get("tags", []))
            if "policy" in item:
                document = PolicyDocument.find_existing(
                    item["policy"]
                ) or PolicyDocument.objects.create(
                    title=item["policy"], url=item["url"]
                )
                ArticlePolicyDocument.objects.create(
                    article=article, policy_document=document
                )
        # The demo holds a few items only: drop the sections it leaves empty.
        issue.section_links.exclude(section__articles__issue=issue).delete()
        return issue

    def _users(self):
        User = get_user_model()
        users = {}
        for username, password, role in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": role in roles.STAFF_ROLES}
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(Group.objects.get(name=role))
            users[username] = user
        return users
