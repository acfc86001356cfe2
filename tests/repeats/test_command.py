"""python manage.py find_repeats [--rebuild]."""

import io

from django.core.management import call_command

from repeats.models import Signature
from tests.repeats.conftest import reprint


def test_rebuild_signs_every_item_and_lists_each_repeat_once(sample):
    copy = reprint(sample[3])
    Signature.objects.all().delete()
    out = io.StringIO()
    call_command("find_repeats", "--rebuild", stdout=out, stderr=io.StringIO())
    report = out.getvalue()
    assert "签名已重建：63 个条目。" in report
    assert Signature.objects.count() == 63
    line = f"2023 年第八期《{sample[3].title}》：与候选库中的《{copy.title}》内容重复"
    assert line in report
    assert "共发现 1 处内容重复。" in report


def test_without_rebuild_it_lists_from_the_signatures_kept(sample):
    reprint(sample[0])
    out = io.StringIO()
    call_command("find_repeats", stdout=out, stderr=io.StringIO())
    assert "签名已重建" not in out.getvalue()
    assert "共发现 1 处内容重复。" in out.getvalue()
