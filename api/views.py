"""The read-only open-data API (docs/open-data.md, "API").

Every list reads through `api.selectors` (the public record), is cursor-paginated and runs a
fixed number of queries whatever the data size; every response carries an ETag (settings'
ConditionalGetMiddleware answers If-None-Match with 304). There is no authentication: a
signed-in caller gets the public record like anyone else, never members' material.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import viewsets
from rest_framework.response import Response

from partnerships.models import IntegratedCareBoard, IntegratedCareSystem, LocalAuthority, Region
from publishing.models import PublishedDocument
from publishing.visibility import current_public_document, documents_for_meeting
from strategy.models import StrategyVersion

from . import filters, selectors, serializers


class PublicReadOnly(viewsets.ReadOnlyModelViewSet):
    """Lists and details of the public record."""


@extend_schema_view(list=extend_schema(summary="NHS England's regions"))
class RegionViewSet(PublicReadOnly):
    serializer_class = serializers.RegionSerializer
    queryset = Region.objects.all()


@extend_schema_view(list=extend_schema(summary="Integrated care systems"))
class SystemViewSet(PublicReadOnly):
    serializer_class = serializers.SystemSerializer
    filterset_class = filters.SystemFilter
    queryset = IntegratedCareSystem.objects.select_related("region", "icb").prefetch_related("council_areas")


@extend_schema_view(list=extend_schema(summary="Integrated care boards (Popolo organizations)"))
class BoardViewSet(PublicReadOnly):
    serializer_class = serializers.BoardSerializer
    filterset_class = filters.BoardFilter
    queryset = IntegratedCareBoard.objects.all()


@extend_schema_view(list=extend_schema(summary="Upper-tier councils (Popolo organizations)"))
class CouncilViewSet(PublicReadOnly):
    serializer_class = serializers.CouncilSerializer
    filterset_class = filters.CouncilFilter
    queryset = LocalAuthority.objects.prefetch_related("system_areas").distinct()


@extend_schema_view(list=extend_schema(summary="Partnerships, with their parent and sub-partnerships"))
class PartnershipViewSet(PublicReadOnly):
    serializer_class = serializers.PartnershipSerializer
    filterset_class = filters.PartnershipFilter

    def get_queryset(self):
        public_subs = Prefetch(
            "sub_partnerships",
            queryset=selectors.public_partnerships().order_by("pk"),
            to_attr="public_sub_partnerships",
        )
        return selectors.public_partnerships().select_related("ics").prefetch_related(public_subs)

    def get_serializer_context(self):
        ids = set(selectors.public_partnerships().values_list("pk", flat=True))
        return {**super().get_serializer_context(), "public_partnership_ids": ids}


@extend_schema_view(list=extend_schema(summary="People with a role on a partnership: their public record only"))
class PersonViewSet(PublicReadOnly):
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    lookup_field = "pk"

    def get_queryset(self):
        return selectors.public_people()


@extend_schema_view(list=extend_schema(summary="Seats on partnerships (Popolo memberships)"))
class MembershipViewSet(PublicReadOnly):
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.TermFilter

    def get_queryset(self):
        return (
            selectors.public_memberships()
            .select_related("person", "organisation")
            .defer("person__email", "person__phone")
        )


@extend_schema_view(list=extend_schema(summary="Chairs, co-chairs and vice-chairs (memberships of a post)"))
class ChairAppointmentViewSet(PublicReadOnly):
    serializer_class = serializers.ChairAppointmentSerializer
    filterset_class = filters.TermFilter

    def get_queryset(self):
        return selectors.public_chair_appointments().select_related("person").defer("person__email", "person__phone")


@extend_schema_view(list=extend_schema(summary="Meetings held in public (Open Civic Data events)"))
class MeetingViewSet(PublicReadOnly):
    filterset_class = filters.MeetingFilter

    def get_queryset(self):
        return selectors.public_meetings().select_related("partnership")

    def get_serializer_class(self):
        return serializers.MeetingDetailSerializer if self.action == "retrieve" else serializers.MeetingSerializer

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        # The agenda pack and minutes the public may read now, exactly as the meeting page offers them.
        documents = documents_for_meeting(meeting, user=AnonymousUser())
        context = {**self.get_serializer_context(), "documents": documents}
        return Response(serializers.MeetingDetailSerializer(meeting, context=context).data)


@extend_schema_view(list=extend_schema(summary="Items of published agendas; exempt items by number and title only"))
class AgendaItemViewSet(PublicReadOnly):
    serializer_class = serializers.AgendaItemSerializer
    filterset_class = filters.AgendaItemFilter

    def get_queryset(self):
        papers = Prefetch(
            "papers", queryset=selectors.public_papers().order_by("position", "pk"), to_attr="public_papers"
        )
        return selectors.public_agenda_items().select_related("exemption_release").prefetch_related(papers)


@extend_schema_view(list=extend_schema(summary="Papers the public may read, with links to their PDFs"))
class PaperViewSet(PublicReadOnly):
    serializer_class = serializers.PaperSerializer
    filterset_class = filters.PaperFilter

    def get_queryset(self):
        return selectors.public_papers().select_related("current_version", "agenda_item__meeting")


@extend_schema_view(
    list=extend_schema(summary="Steps of papers' paths through bodies (OParl consultations) the public may see")
)
class ConsiderationViewSet(PublicReadOnly):
    serializer_class = serializers.ConsiderationSerializer
    filterset_class = filters.ConsiderationFilter

    def get_queryset(self):
        return selectors.public_considerations().select_related(
            "agenda_item__meeting", "paper__agenda_item__meeting__partnership"
        )


@extend_schema_view(list=extend_schema(summary="Decisions of public items of public meetings"))
class DecisionViewSet(PublicReadOnly):
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter

    def get_queryset(self):
        return selectors.public_decisions().select_related("meeting", "agenda_item")


@extend_schema_view(list=extend_schema(summary="Actions of public items of public meetings"))
class ActionViewSet(PublicReadOnly):
    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter

    def get_queryset(self):
        return (
            selectors.public_actions()
            .select_related("meeting", "agenda_item", "owner_person", "owner_organisation")
            .defer("owner_person__email", "owner_person__phone")
        )


@extend_schema_view(list=extend_schema(summary="Integrated care strategies with a published version"))
class StrategyViewSet(PublicReadOnly):
    serializer_class = serializers.StrategySerializer
    filterset_class = filters.StrategyFilter

    def get_queryset(self):
        versions = Prefetch(
            "versions", queryset=selectors.public_strategy_versions().order_by("number"), to_attr="public_versions"
        )
        return selectors.public_strategies().select_related("partnership").prefetch_related(versions)


@extend_schema_view(list=extend_schema(summary="Published versions of strategies"))
class StrategyVersionViewSet(PublicReadOnly):
    filterset_class = filters.StrategyVersionFilter

    def get_queryset(self):
        versions = selectors.public_strategy_versions().with_public_adoption()
        versions = versions.select_related("strategy__partnership")
        if self.action == "retrieve":
            versions = versions.prefetch_related("sections")
        return versions

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.StrategyVersionDetailSerializer
        return serializers.StrategyVersionSerializer

    def retrieve(self, request, *args, **kwargs):
        version: StrategyVersion = self.get_object()
        document = current_public_document(kind=PublishedDocument.Kind.STRATEGY, strategy_version=version)
        context = {**self.get_serializer_context(), "documents": [document] if document else []}
        return Response(serializers.StrategyVersionDetailSerializer(version, context=context).data)


@extend_schema_view(list=extend_schema(summary="Priorities of published strategy versions"))
class PriorityViewSet(PublicReadOnly):
    serializer_class = serializers.PrioritySerializer
    filterset_class = filters.PriorityFilter

    def get_queryset(self):
        return selectors.public_priorities().select_related("version__strategy").prefetch_related("measures")


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from our own static files, its set-up script a file of its own and no inline
    style: the Content Security Policy (script-src and style-src 'self') holds on this page too."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
