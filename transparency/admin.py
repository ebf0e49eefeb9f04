from django.contrib import admin

from .models import ScorecardRow


@admin.register(ScorecardRow)
class ScorecardRowAdmin(admin.ModelAdmin):
    """Read only: rows are computed (transparency.services), never edited."""

    list_display = ["system", "partnership", "period_end", "computed_at", "public_meetings"]
    list_filter = ["period_end"]
    list_select_related = ["system", "partnership"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
