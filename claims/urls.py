from __future__ import annotations

from django.urls import path

from claims import views

app_name = "claims"
urlpatterns = [
    path("articles/<int:pk>/", views.review, name="review"),
    path("articles/<int:pk>/text/", views.source, name="source"),
    path("claims/<int:pk>/verdict/", views.mark, name="mark"),
    path("claims/<int:pk>/note/", views.note, name="note"),
    path("articles/<int:pk>/undo/", views.undo, name="undo"),
    path("articles/<int:pk>/accept/", views.accept, name="accept"),
    path("claims/<int:pk>/merge/", views.merge, name="merge"),
    path("claims/<int:pk>/split/", views.split, name="split"),
    path("export/", views.export, name="export"),
    path("export/claimreview.json", views.export_claimreview, name="export_claimreview"),
    path("export/annotations.jsonld", views.export_annotations, name="export_annotations"),
]
