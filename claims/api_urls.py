from __future__ import annotations

from django.urls import path

from claims import api

app_name = "api"
urlpatterns = [
    path("articles/", api.articles, name="articles"),
    path("articles/<int:pk>/", api.article, name="article"),
    path("articles/<int:pk>/claims/", api.claims, name="claims"),
    path("claims/<int:pk>/verdict/", api.verdict, name="verdict"),
]
