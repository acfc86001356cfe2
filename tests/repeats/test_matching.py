"""Repeats by content on the sample issue's real text: reprints are found, other
stories of the same section are not."""

from itertools import combinations

from articles.models import Article
from bulletin import batching
from repeats import matching
from repeats.models import Signature
from tests.factories import ArticleFactory, IssueFactory
from tests.repeats.conftest import reprint


def test_the_import_signs_every_item_of_the_sample_once(sample):
    assert len(sample) == 62
    assert set(Signature.objects.values_list("article_id", flat=True)) == {
        article.pk for article in sample
    }


def test_each_sample_item_finds_its_reprint_and_no_other_story(sample):
    copies = {article.pk: reprint(article) for article in sample}
    for article in sample:
        found = matching.find_repeats(article)
        assert [m.article.pk for m in found] == [copies[article.pk].pk], article.title
        assert found[0].similarity >= matching.THRESHOLD


def test_a_reprint_names_the_item_and_issue_it_repeats(sample):
    original = sample[0]
    copy = reprint(original)
    [match] = matching.find_repeats(copy)
    assert match.article == original
    assert matching.message(match) == f"与 2023 年第八期《{original.title}》内容重复"


def test_stories_of_the_same_section_stay_far_below_the_threshold(sample):
    by_section = {}
    for article in sample:
        by_section.setdefault(article.section_id, []).append(article)
    scores = [
        matching.jaccard(
            matching.shingles(matching.text_of(a)),
            matching.shingles(matching.text_of(b)),
        )
        for articles in by_section.values()
        for a, b in combinations(articles, 2)
    ]
    assert len(scores) > 100
    assert max(scores) < matching.THRESHOLD / 2


def test_items_of_its_own_issue_are_not_repeats(sample):
    issue = IssueFactory(number=9, cumulative_number=27)
    section = issue.ordered_sections().first()
    first = reprint(sample[0], issue=issue, section=section)
    second = reprint(sample[0], issue=issue, section=section)
    assert [m.article for m in matching.find_repeats(first)] == [sample[0]]
    assert second not in [m.article for m in matching.find_repeats(first)]
    pooled = reprint(sample[0])
    assert {m.article for m in matching.find_repeats(pooled)} == {
        sample[0],
        first,
        second,
    }


def test_a_signature_follows_the_items_text_and_goes_with_the_item(sample):
    copy = reprint(sample[0])
    assert [m.article for m in matching.find_repeats(copy)] == [sample[0]]
    copy.body = sample[5].body
    copy.save()
    assert [m.article for m in matching.find_repeats(sample[0])] == []
    assert [m.article for m in matching.find_repeats(copy)] == [sample[5]]
    copy.delete()
    assert not Signature.objects.filter(article_id=copy.pk).exists()
    assert matching.find_repeats(sample[5]) == []


def test_a_short_item_is_not_signed(db):
    article = ArticleFactory()
    assert not Signature.objects.filter(article=article).exists()


def test_inside_a_batch_items_are_signed_when_it_ends(sample):
    Signature.objects.all().delete()
    with batching.batch():
        for article in sample[:3]:
            article.save()
            article.save()
        assert not Signature.objects.exists()
    assert Signature.objects.count() == 3
    assert set(Article.objects.filter(content_signature__isnull=False)) == set(
        sample[:3]
    )
