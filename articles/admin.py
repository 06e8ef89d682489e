from __future__ import annotations

from django.contrib import admin

from articles.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title", "kind", "outlet", "published_on", "status", "uploaded_by", "uploaded_at"
    ]  # fmt: skip
    list_filter = ["kind", "status", "archived_at", "outlet"]
    search_fields = ["title", "outlet", "url"]
    filter_horizontal = ["sources"]
    readonly_fields = [
        "uploaded_at", "annotation_started_at", "annotated_at", "prepared_version",
        "claim_count", "decided_count", "sourced_count", "disputed_count", "opinion_count",
    ]  # fmt: skip
