"""/api/v1/: the open-data API, its OpenAPI schema and its documentation; and the CSV exports
linked from the public decisions, actions and meetings pages."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import exports, views

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False  # one address per resource: JSON is the only format


router = Router()
router.register("regions", views.RegionViewSet, basename="region")
router.register("systems", views.SystemViewSet, basename="system")
router.register("boards", views.BoardViewSet, basename="board")
router.register("councils", views.CouncilViewSet, basename="council")
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("people", views.PersonViewSet, basename="person")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("chair-appointments", views.ChairAppointmentViewSet, basename="chair-appointment")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("agenda-items", views.AgendaItemViewSet, basename="agenda-item")
router.register("papers", views.PaperViewSet, basename="paper")
router.register("considerations", views.ConsiderationViewSet, basename="consideration")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("actions", views.ActionViewSet, basename="action")
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("strategy-versions", views.StrategyVersionViewSet, basename="strategy-version")
router.register("priorities", views.PriorityViewSet, basename="priority")

urlpatterns = [
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", views.SwaggerView.as_view(), name="docs"),
    path("api/v1/", include(router.urls)),
    path("partnerships/<slug:slug>/meetings.csv", exports.meetings_csv, name="meetings_csv"),
    path("partnerships/<slug:slug>/decisions.csv", exports.decisions_csv, name="decisions_csv"),
    path("partnerships/<slug:slug>/actions.csv", exports.actions_csv, name="actions_csv"),
]
