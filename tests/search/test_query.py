import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.query import MAX_QUERY_LENGTH, QueryError, Term, parse


def term(text):
    from search import tokenizer

    return Term(tuple(tokenizer.units(text)))


def test_words_are_anded():
    query = parse("民营经济 营商环境")
    assert query.groups == ((term("民营经济"),), (term("营商环境"),))


def test_unquoted_chinese_is_cut_into_words():
    assert parse("民营经济发展").groups == ((term("民营经济"),), (term("发展"),))


def test_quotes_make_a_phrase_and_ignore_spaces():
    assert parse('"民营经济 发展"').groups == ((term("民营经济发展"),),)


def test_minus_excludes_words_and_phrases():
    query = parse('数字经济 -人工智能 -"新能源 汽车"')
    assert query.groups == ((term("数字经济"),),)
    assert query.excluded == (term("人工智能"), term("新能源汽车"))


def test_or_joins_its_neighbours():
    query = parse("天津 碳达峰 OR 碳中和")
    assert query.groups == ((term("天津"),), (term("碳达峰"), term("碳中和")))


def test_lowercase_or_is_a_word():
    assert parse("a or b").groups == ((term("a"),), (term("or"),), (term("b"),))


def test_latin_words_and_numbers_are_terms():
    assert parse("CPTPP 2023").groups == ((term("cptpp"),), (term("2023"),))


def test_unbalanced_quote_runs_to_the_end():
    assert parse('专精特新 "小巨人').groups == ((term("专精特新"),), (term("小巨人"),))


@pytest.mark.parametrize(
    "text",
    ["", "   ", "，。！？", '""', "- -- OR", "x" * (MAX_QUERY_LENGTH + 1), "-民营经济"],
)
def test_unsearchable_input_raises_query_error_with_a_message(text):
    with pytest.raises(QueryError) as error:
        parse(text)
    assert str(error.value)


def test_too_many_terms_is_refused():
    with pytest.raises(QueryError):
        parse(" ".join(f"w{n}" for n in range(20)))


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_random_input_raises_nothing_but_query_error(text):
    try:
        query = parse(text)
    except QueryError:
        return
    assert query.groups
    assert all(t.units for group in query.groups for t in group)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ['"', "-", "OR", "(", ")", "*", ":", "NEAR(", "'", "医保", "a"]
        ),
        max_size=30,
    ).map(" ".join)
)
def test_operator_soup_raises_nothing_but_query_error(text):
    try:
        parse(text)
    except QueryError:
        pass
