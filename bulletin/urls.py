from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

handler500 = "bulletin.views.server_error"

admin.site.site_header = "信息摘编 编辑系统"
admin.site.site_title = "信息摘编"
admin.site.index_title = "编辑工作台"

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("editions.urls")),
    path("search/", include("search.urls")),
    path("", include("articles.urls")),
    path("", include("issues.urls")),
]
