from __future__ import annotations

from django.urls import path

from claims import views

app_name = "claims"
urlpatterns = [
    path("articles/<int:pk>/", views.review, name="review"),
    path("claims/<int:pk>/verdict/", views.mark, name="mark"),
    path("export/", views.export, name="export"),
]
