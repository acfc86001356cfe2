"""Snippets read only up to the first match; they must still find and mark it."""

from search import highlight
from tests.search.test_query import term


def test_snippet_marks_a_match_far_into_a_long_text():
    text = (
        "前言。" * 400 + "天津自贸试验区率先试点对接 ＣＰＴＰＰ 规则。" + "后记。" * 50
    )
    shown = highlight.snippet([text], [term("cptpp")])
    assert "<mark>ＣＰＴＰＰ</mark>" in shown
    assert shown.startswith("…")


def test_snippet_finds_the_first_of_several_matches():
    text = "甲" * 300 + "世界 500 强" + "乙" * 300 + "世界500强"
    shown = highlight.snippet([text], [term("世界500强")])
    assert "<mark>世界 500 强</mark>" in shown


def test_snippet_does_not_start_inside_a_latin_word():
    text = "x" * 100 + " abcdef 50 " + "y" * 50 + " 500 "
    assert "<mark>" not in highlight.snippet([text], [term("bcdef")])
    assert "<mark>500</mark>" in highlight.snippet([text], [term("500")])


def test_snippet_falls_back_to_the_opening_without_a_match():
    assert highlight.snippet(["", "没有匹配的文字"], [term("医保")]) == "没有匹配的文字"


def test_snippet_passes_over_a_text_with_the_characters_apart():
    text = "医疗" + "甲" * 300 + "保障"
    shown = highlight.snippet([text, "国家医保局"], [term("医保")])
    assert shown == "国家<mark>医保</mark>局"


def test_snippet_finds_a_match_across_punctuation_and_folded_symbols():
    assert "<mark>医，保</mark>" in highlight.snippet(
        ["甲" * 200 + "医，保"], [term("医保")]
    )
    shown = highlight.snippet(["甲" * 200 + "30℃以上"], [term("30以上")])
    assert "<mark>30℃以上</mark>" in shown


def test_snippet_finds_a_match_in_text_that_needs_folding_beyond_its_punctuation():
    # The full-width punctuation alone would let the normalisation be skipped;
    # the full-width letters and the compatibility ideograph must not be missed.
    assert "<mark>ＣＰＴＰＰ</mark>" in highlight.snippet(
        ["前言，" * 100 + "对接ＣＰＴＰＰ规则。"], [term("cptpp")]
    )
    assert "<mark>\uf92c</mark>" in highlight.snippet(
        ["前言：" * 100 + "\uf92c"], [term("\u90ce")]
    )


def test_snippet_marks_a_match_after_full_width_punctuation_and_spaces():
    text = "前言，（注释）：" * 60 + "\u3000医保，" + "后记！" * 10
    shown = highlight.snippet([text], [term("医保")])
    assert shown.count("<mark>医保</mark>") == 1
