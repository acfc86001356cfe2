from search import tokenizer


def test_spaces_from_pdf_extraction_do_not_change_the_units():
    assert tokenizer.units("世界 500 强") == tokenizer.units("世界500强")


def test_traditional_full_width_and_case_fold_to_one_form():
    assert tokenizer.units("醫保局 ＣＰＴＰＰ ２０２３") == tokenizer.units(
        "医保局 cptpp 2023"
    )


def test_unit_spans_point_into_the_original_text():
    text = "今年世界 500 强"
    spans = [(u.text, text[u.start : u.end]) for u in tokenizer.iter_units(text)]
    assert spans[-2:] == [("500", "500"), ("强", "强")]


def test_match_text_keeps_latin_runs_whole():
    assert tokenizer.match_text(tokenizer.units("世界 500 强")) == "世界 500 强"
    assert " 50 " not in tokenizer.match_text(tokenizer.units("世界 500 强"))


def test_index_holds_units_and_cjk_pairs_but_not_latin_pairs():
    tokens = tokenizer.index_tokens(tokenizer.units("对接 CPTPP DEPA 规则"))
    assert {"对", "接", "对接", "接cptpp", "cptpp", "depa", "depa规", "规则"} <= tokens
    assert "cptppdepa" not in tokens


def test_query_tokens_of_a_word_inside_a_longer_word_are_in_its_index():
    document = tokenizer.index_tokens(tokenizer.units("国家医保局日前发布"))
    assert set(tokenizer.query_tokens(tokenizer.units("医保"))) <= document


def test_segmenter_keeps_domain_terms_and_splits_between_words():
    seg = tokenizer.segmenter()
    assert tokenizer.split_words("支持专精特新企业", seg) == [
        list("支持"),
        list("专精特新"),
        list("企业"),
    ]
    assert tokenizer.split_words("世界500强", seg) == [["世", "界", "500", "强"]]
    assert tokenizer.split_words("医保局", seg) == [list("医保局")]


def test_archivists_terms_change_segmentation():
    assert tokenizer.split_words("揭榜挂帅", tokenizer.segmenter()) == [
        list("揭榜"),
        list("挂帅"),
    ]
    assert tokenizer.split_words("揭榜挂帅", tokenizer.segmenter(["揭榜挂帅"])) == [
        list("揭榜挂帅")
    ]
