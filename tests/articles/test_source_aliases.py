"""Sources go by other names too: editors keep aliases on the source's page, and
collecting and importing find the source under them."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.models import Source, SourceAlias
from collect.services import collect
from tests.factories import SourceFactory

PAGES = Path(__file__).parent.parent / "collect" / "pages"

pytestmark = pytest.mark.django_db


def test_a_source_is_found_by_its_name_or_an_alias_case_aside():
    xinhua = SourceFactory(name="新华社", kind=Source.Kind.NEWS_AGENCY)
    SourceAlias.objects.create(source=xinhua, name="新华网")
    berita = SourceFactory(name="Berita Satu", kind=Source.Kind.WEBSITE)
    SourceAlias.objects.create(source=berita, name="BeritaSatu News")
    assert Source.objects.find_named("新华网") == xinhua
    assert Source.objects.find_named(" 新华 社 ") == xinhua
    assert Source.objects.find_named("berita satu") == berita
    assert Source.objects.find_named("beritasatu NEWS") == berita
    assert Source.objects.find_named("人民日报") is None


def test_a_wechat_account_named_by_an_alias_is_collected_under_its_source():
    archives = SourceFactory(name="档案工作", kind=Source.Kind.WECHAT)
    SourceAlias.objects.create(source=archives, name="档案那些事")
    article = collect((PAGES / "wechat.html").read_bytes())
    assert article.source == archives
    assert list(Source.objects.values_list("name", flat=True)) == ["档案工作"]


def test_one_name_is_found_by_its_alias_on_import():
    xinhua = SourceFactory(name="新华社", kind=Source.Kind.NEWS_AGENCY)
    SourceAlias.objects.create(source=xinhua, name="新华网")
    assert Source.get_or_create_normalised("新华网") == (xinhua, False)


def test_the_bulk_lookup_of_an_import_is_one_query_for_names_and_aliases(
    django_assert_num_queries,
):
    xinhua = SourceFactory(name="新华社", kind=Source.Kind.NEWS_AGENCY)
    SourceAlias.objects.create(source=xinhua, name="新华网")
    people = SourceFactory(name="人民日报")
    with django_assert_num_queries(1):
        found, created = Source.get_or_create_all_normalised(
            ["新华网", "新华社", "人民日报", " 人民 日报 "]
        )
    assert found == {
        "新华网": xinhua,
        "新华社": xinhua,
        "人民日报": people,
        " 人民 日报 ": people,
    }
    assert created == []


def test_an_alias_may_not_be_another_sources_name():
    SourceFactory(name="人民日报")
    xinhua = SourceFactory(name="新华社", kind=Source.Kind.NEWS_AGENCY)
    alias = SourceAlias(source=xinhua, name="人民 日报")
    with pytest.raises(ValidationError) as refused:
        alias.full_clean()
    assert refused.value.message_dict["name"] == [
        "“人民日报”是另一个来源（人民日报）的名称：别名不能与其他来源重名。"
    ]


def test_an_alias_may_not_be_taken_twice_case_aside():
    first = SourceFactory(name="Berita Satu", kind=Source.Kind.WEBSITE)
    SourceAlias.objects.create(source=first, name="BeritaSatu")
    second = SourceFactory(name="新华社", kind=Source.Kind.NEWS_AGENCY)
    with pytest.raises(ValidationError) as refused:
        SourceAlias(source=second, name="beritasatu").full_clean()
    assert "已是来源“Berita Satu”的别名" in refused.value.message_dict["name"][0]


def test_a_source_may_not_be_named_as_another_sources_alias():
    xinhua = SourceFactory(name="新华社", kind=Source.Kind.NEWS_AGENCY)
    SourceAlias.objects.create(source=xinhua, name="新华网")
    with pytest.raises(ValidationError) as refused:
        Source(name="新华网", kind=Source.Kind.WEBSITE).full_clean()
    assert refused.value.message_dict["name"] == ["“新华网”已是来源“新华社”的别名。"]


def _inline_post(source, **aliases):
    data = {
        "name": source.name,
        "kind": source.kind,
        "homepage": "",
        "aliases-TOTAL_FORMS": str(len(aliases)),
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    for index, name in enumerate(aliases.values()):
        data[f"aliases-{index}-name"] = name
        data[f"aliases-{index}-source"] = str(source.pk)
    return data


def test_an_editor_adds_an_alias_on_the_sources_page(client, editor):
    xinhua = SourceFactory(name="新华社", kind=Source.Kind.NEWS_AGENCY)
    client.force_login(editor)
    url = reverse("admin:articles_source_change", args=[xinhua.pk])
    page = client.get(url).content.decode()
    assert "来源别名" in page
    response = client.post(url, _inline_post(xinhua, first="新华网"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(xinhua.aliases.values_list("name", flat=True)) == ["新华网"]


def test_the_sources_page_refuses_an_alias_naming_another_source(client, editor):
    SourceFactory(name="人民日报")
    xinhua = SourceFactory(name="新华社", kind=Source.Kind.NEWS_AGENCY)
    client.force_login(editor)
    url = reverse("admin:articles_source_change", args=[xinhua.pk])
    response = client.post(url, _inline_post(xinhua, first="人民日报"))
    assert response.status_code == 200
    assert "别名不能与其他来源重名" in response.content.decode()
    assert not SourceAlias.objects.exists()


def test_an_archivist_sees_aliases_but_may_not_change_them(client, archivist):
    xinhua = SourceFactory(name="新华社", kind=Source.Kind.NEWS_AGENCY)
    SourceAlias.objects.create(source=xinhua, name="新华网")
    client.force_login(archivist)
    url = reverse("admin:articles_source_change", args=[xinhua.pk])
    page = client.get(url).content.decode()
    assert "新华网" in page
    assert 'name="aliases-0-name"' not in page
