from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("accounts/login/", views.login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # One login page: the admin's would look different and answer a lockout without our page.
    path("admin/login/", views.login),
    path("health/", views.health, name="health"),
]
