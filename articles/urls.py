from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("sources/<int:pk>/", views.source_detail, name="source"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/<int:pk>/", views.policy_detail, name="policy"),
    path("policies/<int:pk>/file/", views.policy_file, name="policy-file"),
]
