from django.contrib import admin
from django.urls import include, path

from madoguchi.api import api

urlpatterns = [
    path("", include("madoguchi.catalog.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
