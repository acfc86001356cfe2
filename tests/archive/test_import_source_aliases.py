"""An import finds a source under an alias editors gave it."""

import pytest

from archive.services import issue_import
from articles.models import Article, Source, SourceAlias
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_an_import_finds_sources_by_their_aliases(parsed_sample):
    xinhua = SourceFactory(name="新华社", kind=Source.Kind.NEWS_AGENCY)
    SourceAlias.objects.create(source=xinhua, name="新华网")
    issue_import(parsed_sample)
    assert not Source.objects.filter(name="新华网").exists()
    cited = Article.objects.filter(source=xinhua).count()
    named = sum(
        item.source in ("新华社", "新华网")
        for section in parsed_sample.sections
        for item in section.items
    )
    assert cited == named and named > 2
