"""History diffs: character marks around the change, long stretches cut."""

from bulletin.history import MAX_COMPARED, marked_difference


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
