"""History diffs: character marks around the change, long stretches cut; any two
versions compared."""

from django.urls import reverse

from bulletin.history import MAX_COMPARED, marked_difference
from tests.factories import ArticleFactory


def test_one_change_in_a_long_text_is_marked_with_its_context_only():
    old = "甲" * 5000 + "民营经济" + "乙" * 5000
    new = "甲" * 5000 + "民营企业" + "乙" * 5000
    before, after = marked_difference(old, new)
    assert "民营<del>经济</del>" in before and "民营<ins>企业</ins>" in after
    assert len(before) < 100 and before.startswith("…") and before.endswith("…")


def test_a_rewrite_longer_than_the_limit_is_one_replacement():
    old, new = "甲乙" * MAX_COMPARED, "丙丁" * MAX_COMPARED
    before, after = marked_difference(old, new)
    assert before == f"<del>{old}</del>" and after == f"<ins>{new}</ins>"


def test_markup_in_the_text_is_escaped():
    before, after = marked_difference("<b>旧</b>", "<b>新</b>")
    assert before == "&lt;b&gt;<del>旧</del>&lt;/b&gt;"
    assert after == "&lt;b&gt;<ins>新</ins>&lt;/b&gt;"


def three_versions_of_an_item():
    article = ArticleFactory(issue=None, section=None, title="第一稿")
    for title in ("第二稿", "第三稿定稿"):
        article.refresh_from_db()
        article.title = title
        article.save()
    return article, list(article.history.order_by("history_date", "history_id"))


def compare_url(article, old, new):
    url = reverse("admin:articles_article_history_compare", args=[article.pk])
    return f"{url}?old={old.history_id}&new={new.history_id}"


def test_any_two_versions_are_compared_character_by_character(client, editor):
    article, (first, _second, third) = three_versions_of_an_item()
    client.force_login(editor)
    history = client.get(f"/admin/articles/article/{article.pk}/history/")
    assert 'name="old"' in history.content.decode()
    page = client.get(compare_url(article, first, third)).content.decode()
    assert "第<del>一</del>稿" in page and "第<ins>三稿定</ins>稿" in page


def test_the_comparison_reads_oldest_first_whichever_way_it_is_asked(client, editor):
    article, (first, _second, third) = three_versions_of_an_item()
    client.force_login(editor)
    page = client.get(compare_url(article, third, first)).content.decode()
    assert "第<del>一</del>稿" in page


def test_versions_of_another_record_are_not_compared(client, editor):
    article, (first, *_rest) = three_versions_of_an_item()
    other, (_other_first, *_, other_last) = three_versions_of_an_item()
    client.force_login(editor)
    response = client.get(compare_url(article, first, other_last), follow=True)
    assert "请选择两个不同的版本" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"/{article.pk}/history/")


def test_a_reader_cannot_compare_versions(client, reader):
    article, (first, _second, third) = three_versions_of_an_item()
    client.force_login(reader)
    response = client.get(compare_url(article, first, third))
    assert response.status_code in (302, 403)
