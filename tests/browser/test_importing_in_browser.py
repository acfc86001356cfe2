"""An archivist uploads the sample issue in the admin and watches its page follow
the background dry run to the summary, then the import to its end."""

import pytest

from archive import SAMPLE_ISSUE_PATH
from archive.models import ImportRun
from issues.models import Issue
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_correcting_in_browser import log_in
from tests.factories import PublicationFactory
from tests.tasks import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_archivist_watches_the_import_reach_its_summary(
    browser, live_server, archivist
):
    PublicationFactory()
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    log_in(page, live_server, "archivist")
    page.goto(f"{live_server.url}/admin/archive/importrun/add/")
    page.set_input_files("#id_file", str(SAMPLE_ISSUE_PATH))
    page.click("input[type=submit]")

    # The request only queued the work: the page shows it waiting, with a bar.
    stage = page.locator(".import-stage")
    stage.wait_for()
    assert "等待后台任务开始" in stage.inner_text()
    assert page.locator(".import-status").inner_text() == "排队等待试导入"
    assert page.locator(".import-bar progress").get_attribute("value") == "0"
    page.screenshot(path=str(ARTIFACTS / "import-queued-phone.png"))
    page.evaluate("window.sameDocument = true")

    # The worker runs here while the browser keeps polling the live server.
    run_worker()
    summary = page.locator(".import-summary")
    summary.wait_for(timeout=15_000)
    # The summary came into the same document: no reload.
    assert page.evaluate("window.sameDocument") is True
    assert "试导入（未写入）：信息摘编 2023 年第八期" in summary.inner_text()
    assert page.locator(".import-status").inner_text() == "已试导入，待确认"
    assert not Issue.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "import-summary-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=str(ARTIFACTS / "import-summary-desktop.png"))

    page.click("button[value=confirm]")
    page.locator(".import-stage").wait_for()
    assert page.locator(".import-status").inner_text() == "排队等待导入"
    page.evaluate("window.sameDocument = true")
    run_worker()
    opened = page.locator("a", has_text="打开导入的期刊")
    opened.wait_for(timeout=15_000)
    assert page.evaluate("window.sameDocument") is True
    assert page.locator(".import-status").inner_text() == "已导入"
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.IMPORTED
    assert run.issue.articles.count() == 62
    opened.click()
    page.wait_for_url(f"**/admin/issues/issue/{run.issue.pk}/change/")
