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


def test_match_text_parts_reads_back_the_units_match_text_wrote():
    parts = [tokenizer.units("对接 CPTPP DEPA 规则"), tokenizer.units("世界500强")]
    text = "\n".join(tokenizer.match_text(part) for part in parts)
    assert tokenizer.match_text_parts(text) == parts


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
