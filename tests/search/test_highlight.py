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
