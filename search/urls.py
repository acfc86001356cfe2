from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("", views.results, name="results"),
    path("advanced/", views.advanced, name="advanced"),
    path("export.csv", views.export_csv, name="export"),
]
