"""Django admin for portal administrators: read-only. The strategy changes only through its
services, which enforce that approved and published versions never change, and audit."""

from django.contrib import admin

from .models import Approval, Evidence, Strategy, StrategyVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Strategy)
class StrategyAdmin(ReadOnlyAdmin):
    list_display = ["partnership", "review_due", "review_due_since"]
    list_filter = ["review_due"]
    search_fields = ["partnership__name"]


@admin.register(StrategyVersion)
class StrategyVersionAdmin(ReadOnlyAdmin):
    list_display = ["strategy", "number", "title", "status", "submitted_at", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "strategy__partnership__name"]
    list_select_related = ["strategy__partnership"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "local_authority", "published_on", "strategy"]
    list_filter = ["kind"]
    search_fields = ["title", "local_authority__name"]
    list_select_related = ["local_authority", "strategy__partnership"]


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ["version", "approver_name", "decision", "decided_at", "voided_at"]
    list_filter = ["decision"]
    list_select_related = ["version__strategy__partnership", "person", "user__person"]
