from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "信息摘编 编辑系统"
admin.site.site_title = "信息摘编"
admin.site.index_title = "编辑工作台"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("search/", include("search.urls")),
    path("", include("issues.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
