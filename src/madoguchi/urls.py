from django.contrib import admin
from django.urls import include, path

from madoguchi.api import api

urlpatterns = [
    path("", include("madoguchi.catalog.urls")),
    path("", include("madoguchi.applications.urls")),
    path("api/v1/", api.urls),
    path("office/", include("madoguchi.backoffice.urls")),
    path("counter/", include("madoguchi.counter.urls")),
    path("mypage/", include("madoguchi.residents.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# Error pages in the resident's language (JSON under /api/: common/api_errors.py).
handler400 = "madoguchi.common.error_pages.bad_request"
handler403 = "madoguchi.common.error_pages.permission_denied"
handler404 = "madoguchi.common.error_pages.page_not_found"
handler500 = "madoguchi.common.error_pages.server_error"
