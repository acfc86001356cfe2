from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("policies/<int:pk>/", views.policy_detail, name="policy"),
]
