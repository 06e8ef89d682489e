from __future__ import annotations

from django.contrib import admin, messages

from claims.models import ApiToken, Claim, VerdictChange


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]

    def save_model(self, request, obj: ApiToken, form, change: bool) -> None:
        if not change:
            key = obj.new_key()
            messages.warning(
                request, f"The token for {obj.user}: {key} — copy it now, it is not shown again."
            )
        super().save_model(request, obj, form, change)
