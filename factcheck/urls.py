from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from factcheck import views

urlpatterns = [
    path("accounts/login/", views.login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The admin's own login would bypass the throttling.
    path("admin/login/", views.login),
    path("admin/", admin.site.urls),
    path("health/", views.health, name="health"),
    path("api/", include("claims.api_urls")),
    path("", include("articles.urls")),
    path("", include("claims.urls")),
]
