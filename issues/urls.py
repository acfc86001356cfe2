from django.urls import path, register_converter

from issues import feeds, views

app_name = "issues"


class CitationFormat:
    regex = "ris|bib"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CitationFormat, "citation")

urlpatterns = [
    path("", views.home, name="home"),
    path("feeds/issues.rss", feeds.IssuesFeed(), name="feed-issues-rss"),
    path("feeds/issues.atom", feeds.IssuesAtomFeed(), name="feed-issues-atom"),
    path("feeds/articles.rss", feeds.ArticlesFeed(), name="feed-articles-rss"),
    path("feeds/articles.atom", feeds.ArticlesAtomFeed(), name="feed-articles-atom"),
    path("sections/<int:pk>/", views.section_detail, name="section"),
    path("preview/<int:pk>/", views.issue_preview, name="preview"),
    path("items/<int:pk>/", views.article_permalink, name="permalink"),
    path("issues/<int:pk>/cover/", views.issue_cover, name="cover"),
    path("<int:year>/", views.year_archive, name="year"),
    path("<int:year>/<int:number>/", views.issue_detail, name="detail"),
    path("<int:year>/<int:number>/<int:pk>/", views.article_detail, name="article"),
    path(
        "<int:year>/<int:number>/citation.<citation:extension>",
        views.issue_citation,
        name="issue-citation",
    ),
    path(
        "<int:year>/<int:number>/<int:pk>/citation.<citation:extension>",
        views.article_citation,
        name="article-citation",
    ),
]
