from django.urls import path

from issues import views

app_name = "issues"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:year>/<int:number>/", views.issue_detail, name="detail"),
    path("<int:year>/<int:number>/<int:pk>/", views.article_detail, name="article"),
    path("preview/<int:pk>/", views.issue_preview, name="preview"),
]
