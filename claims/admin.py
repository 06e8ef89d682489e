from __future__ import annotations

from django.contrib import admin

from claims.models import Claim, VerdictChange


class VerdictChangeInline(admin.TabularInline):
    model = VerdictChange
    extra = 0
    can_delete = False
    readonly_fields = ["old_label", "new_label", "suggested_label", "note", "editor", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "article", "position", "suggested_label", "confidence", "verdict"]
    list_filter = ["suggested_label", "verdict", "reason_code"]
    search_fields = ["text", "note", "article__title"]
    list_select_related = ["article"]
    raw_id_fields = ["article"]
    # Verdicts change only through the review page, which keeps their history.
    readonly_fields = ["verdict", "note", "decided_by", "decided_at"]
    inlines = [VerdictChangeInline]
