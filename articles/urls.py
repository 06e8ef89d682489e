from __future__ import annotations

from django.urls import path

from articles import views

app_name = "articles"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("articles/new/", views.upload, name="upload"),
    path("articles/sources/search/", views.source_search, name="source_search"),
    path("articles/<int:pk>/sources/", views.edit_sources, name="sources"),
    path("articles/<int:pk>/annotate/", views.reannotate, name="reannotate"),
    path("articles/<int:pk>/archive/", views.archive, name="archive"),
    path("articles/<int:pk>/restore/", views.restore, name="restore"),
    path("articles/<int:pk>/delete/", views.delete, name="delete"),
    path("articles/<int:pk>/versions/", views.versions, name="versions"),
    path("articles/<int:pk>/versions/new/", views.add_version, name="add_version"),
]
