from django.urls import path

from collect import views

app_name = "collect"

urlpatterns = [
    path("items/<int:pk>/original/", views.snapshot, name="snapshot"),
]
