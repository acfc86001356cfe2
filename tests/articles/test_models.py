from articles.models import Article, PolicyDocument, Source
from tests.factories import ArticleFactory, PolicyDocumentFactory


def test_a_journal_in_book_title_marks_is_stored_by_its_name(db):
    source, created = Source.get_or_create_normalised("《金融透视》")
    assert created
    assert (source.name, source.kind, str(source)) == (
        "金融透视",
        "journal",
        "《金融透视》",
    )
    assert Source.get_or_create_normalised(" 《金融 透视》 ") == (source, False)


def test_source_kinds_are_guessed_from_the_name(db):
    assert Source.get_or_create_normalised("人民日报")[0].kind == Source.Kind.NEWSPAPER
    assert Source.get_or_create_normalised("新华社")[0].kind == Source.Kind.NEWS_AGENCY
    assert (
        Source.get_or_create_normalised("深圳市人工智能产业协会")[0].kind
        == Source.Kind.ASSOCIATION
    )


def test_a_policy_document_is_found_by_its_normalised_title(db):
    existing = PolicyDocumentFactory(title="《关于促进民营经济发展壮大的意见》")
    assert existing.title == "关于促进民营经济发展壮大的意见"
    assert PolicyDocument.find_existing("关于促进民营经济 发展壮大的意见") == existing
    assert PolicyDocument.find_existing("关于促进民营经济发展壮大的若干措施") is None


def test_a_link_alone_does_not_make_two_titles_one_document(db):
    link = "https://www.gov.cn/zhengce/202307/content_6893055.htm"
    existing = PolicyDocumentFactory(title="关于促进民营经济发展壮大的意见", url=link)
    assert PolicyDocument.find_existing("关于促进民营经济发展壮大的意见") == existing
    assert (
        PolicyDocument.find_existing("关于实施促进民营经济发展近期若干举措的通知")
        is None
    )


def test_article_bodies_are_sanitised_on_save(db):
    article = ArticleFactory(
        body='<p onclick="x()">正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a></p>'
        "<img src=x onerror=alert(1)><h3>小标题</h3>"
    )
    article.refresh_from_db()
    assert "<script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "<img" not in article.body
    assert "<h3>小标题</h3>" in article.body


def test_keywords_split_on_chinese_and_latin_commas(db):
    article = ArticleFactory.build(keywords="人工智能，文化创意产业, 扬州")
    assert article.keyword_list == ["人工智能", "文化创意产业", "扬州"]


def test_the_pool_holds_items_without_an_issue(db):
    pooled = ArticleFactory(issue=None)
    assert list(Article.objects.in_pool()) == [pooled]
