from tests.factories import IssueFactory, fill_issue


def test_an_issue_lists_its_sections_and_articles_in_print_order(db):
    issue = IssueFactory()
    fill_issue(issue)
    toc = issue.table_of_contents()
    assert [section.name for section, _ in toc][:2] == ["热点关注", "行业动向"]
    assert all(len(articles) == 1 for _, articles in toc)
