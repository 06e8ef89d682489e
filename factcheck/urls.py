from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("claims.api_urls")),
    path("", include("articles.urls")),
    path("", include("claims.urls")),
]
