"""Editors type dates the way they write them: 2023-08-20, 2023/8/20, 2023年8月20日."""

import datetime

import pytest
from django import forms
from django.urls import reverse

from tests.factories import ArticleFactory
from tests.issues.test_permanence import change_form_data


class DateForm(forms.Form):
    day = forms.DateField()


@pytest.mark.parametrize(
    "typed",
    [
        "2023-08-20",
        "2023/8/20",
        "2023/08/20",
        "2023.8.20",
        "2023年8月20日",
        "2023 年 8 月 20 日",
    ],
)
def test_a_date_field_reads_the_ways_editors_type_a_date(typed):
    form = DateForm({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2023, 8, 20)


def test_a_date_that_is_not_one_is_still_refused():
    form = DateForm({"day": "2023年13月40日"})
    assert not form.is_valid()
    assert "日期" in str(form.errors["day"])


def test_the_item_form_takes_a_source_date_typed_in_chinese(client, editor):
    article = ArticleFactory(issue=None, section=None)
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(url), source_date="2023年7月19日", _save="1")
    response = client.post(url, data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.source_date == datetime.date(2023, 7, 19)
