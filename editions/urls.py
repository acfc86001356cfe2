from django.urls import path

from editions import views

app_name = "editions"

urlpatterns = [
    path("<int:year>/<int:number>/pdf/", views.download, {"kind": "pdf"}, name="pdf"),
    path(
        "<int:year>/<int:number>/docx/", views.download, {"kind": "docx"}, name="docx"
    ),
    path("<int:year>/<int:number>/editions/rebuild/", views.rebuild, name="rebuild"),
    path("editions/<int:pk>/download/", views.edition_file, name="file"),
]
