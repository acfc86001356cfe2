from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from bulletin.health import health

handler500 = "bulletin.views.server_error"

admin.site.site_header = _("Bulletin editorial system")
admin.site.site_title = _("Bulletin")
admin.site.index_title = _("Editor's desk")

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/mail/", include("notifications.urls")),
    path("", include("editions.urls")),
    path("search/", include("search.urls")),
    path("api/", include("api.urls")),
    path("oai/", include("oai.urls")),
    path("", include("collect.urls")),
    path("", include("articles.urls")),
    path("", include("issues.urls")),
]
