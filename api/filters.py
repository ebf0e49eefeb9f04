"""Filters of the API's lists. Every filter narrows what `api.selectors` already allows; an
unknown partnership or system, or a date that is not one, is a 400 that says which."""

import django_filters as filters
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from meetings.models import Action, Consideration, Decision, Meeting
from partnerships.models import IntegratedCareSystem, Partnership

from . import selectors


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(filters.ModelChoiceFilter):
    """One object, named by its slug."""

    def __init__(self, **kwargs):
        super().__init__(to_field_name="slug", **kwargs)


def _public_partnerships(request):
    return selectors.public_partnerships()


def _systems(request):
    return IntegratedCareSystem.objects.all()


def by_partnership(path: str):
    return SlugFilter(
        field_name=path,
        queryset=_public_partnerships,
        label="The partnership's slug (as in its web address)",
    )


def by_system(path: str):
    return SlugFilter(field_name=path, queryset=_systems, label="The integrated care system's slug")


def meeting_date(lookup: str, *, path: str = "meeting__starts_at"):
    """On or after (`gte`) / on or before (`lte`) a date, by the meeting's date in England."""
    words = "on or after" if lookup == "gte" else "on or before"
    return filters.DateFilter(field_name=path, lookup_expr=f"date__{lookup}", label=f"Meetings {words} this date")


class PartnershipFilter(filters.FilterSet):
    system = by_system("ics")
    parent = by_partnership("parent")
    classification = filters.ChoiceFilter(field_name="kind", choices=Partnership.Kind.choices)


class SystemFilter(filters.FilterSet):
    region = filters.CharFilter(field_name="region__slug", label="The region's slug")


class BoardFilter(filters.FilterSet):
    system = by_system("ics")


class CouncilFilter(filters.FilterSet):
    system = by_system("system_areas__ics")


class PersonFilter(filters.FilterSet):
    partnership = SlugFilter(
        method="with_role_on",
        queryset=_public_partnerships,
        label="People with a seat or chair (current or past) on this partnership",
    )

    def with_role_on(self, queryset, name, partnership):
        memberships = selectors.public_memberships().filter(partnership=partnership).values("person_id")
        chairs = selectors.public_chair_appointments().filter(partnership=partnership).values("person_id")
        return queryset.filter(Q(pk__in=memberships) | Q(pk__in=chairs))


class TermFilter(filters.FilterSet):
    partnership = by_partnership("partnership")
    system = by_system("partnership__ics")
    person = filters.NumberFilter(field_name="person_id")
    current_on = filters.DateFilter(method="current", label="Terms that include this date")

    def current(self, queryset, name, value):
        return queryset.current(value)


class MeetingFilter(filters.FilterSet):
    partnership = by_partnership("partnership")
    system = by_system("partnership__ics")
    date_from = meeting_date("gte", path="starts_at")
    date_to = meeting_date("lte", path="starts_at")
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Meetings changed at or after this time (ISO 8601)"
    )
    status = filters.ChoiceFilter(choices=Meeting.Status.choices)


class AgendaItemFilter(filters.FilterSet):
    partnership = by_partnership("meeting__partnership")
    system = by_system("meeting__partnership__ics")
    meeting = filters.NumberFilter(field_name="meeting_id")
    date_from = meeting_date("gte")
    date_to = meeting_date("lte")


class PaperFilter(filters.FilterSet):
    partnership = by_partnership("agenda_item__meeting__partnership")
    system = by_system("agenda_item__meeting__partnership__ics")
    meeting = filters.NumberFilter(field_name="agenda_item__meeting_id")
    agenda_item = filters.NumberFilter(field_name="agenda_item_id")
    date_from = meeting_date("gte", path="agenda_item__meeting__starts_at")
    date_to = meeting_date("lte", path="agenda_item__meeting__starts_at")
    updated_since = filters.IsoDateTimeFilter(
        field_name="current_version__uploaded_at",
        lookup_expr="gte",
        label="Papers whose current version was uploaded at or after this time (ISO 8601)",
    )


class ConsiderationFilter(filters.FilterSet):
    partnership = SlugFilter(
        method="of_partnership",
        queryset=_public_partnerships,
        label="Steps at this partnership's meetings, or of papers it tabled",
    )
    system = by_system("paper__agenda_item__meeting__partnership__ics")
    paper = filters.NumberFilter(field_name="paper_id")
    meeting = filters.NumberFilter(field_name="agenda_item__meeting_id")
    agenda_item = filters.NumberFilter(field_name="agenda_item_id")
    role = filters.ChoiceFilter(choices=Consideration.Role.choices)
    updated_since = filters.IsoDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Steps added or changed at or after this time (ISO 8601)"
    )

    def of_partnership(self, queryset, name, partnership):
        return queryset.filter(
            Q(agenda_item__meeting__partnership=partnership) | Q(paper__agenda_item__meeting__partnership=partnership)
        )


class RecordFilter(filters.FilterSet):
    """Decisions and actions."""

    partnership = by_partnership("partnership")
    system = by_system("partnership__ics")
    meeting = filters.NumberFilter(field_name="meeting_id")
    date_from = meeting_date("gte")
    date_to = meeting_date("lte")


class DecisionFilter(RecordFilter):
    status = filters.ChoiceFilter(choices=Decision.Status.choices)


class ActionFilter(RecordFilter):
    status = filters.ChoiceFilter(choices=Action.Status.choices)


def _changed_since(prefix: str, what: str):
    """`updated_since` for rows that change only when a strategy version is published or
    superseded (an approved version is immutable: its sections and priorities never change)."""

    def changed_since(queryset, name, value):
        published, superseded = f"{prefix}published_at__gte", f"{prefix}superseded_at__gte"
        return queryset.filter(Q(**{published: value}) | Q(**{superseded: value})).distinct()

    return filters.IsoDateTimeFilter(method=changed_since, label=f"{what} at or after this time (ISO 8601)")


class StrategyFilter(filters.FilterSet):
    partnership = by_partnership("partnership")
    system = by_system("partnership__ics")
    updated_since = _changed_since("versions__", "Strategies with a version published or superseded")


class StrategyVersionFilter(filters.FilterSet):
    partnership = by_partnership("strategy__partnership")
    system = by_system("strategy__partnership__ics")
    updated_since = filters.IsoDateTimeFilter(
        method="changed_since", label="Versions published or superseded at or after this time (ISO 8601)"
    )

    def changed_since(self, queryset, name, value):
        return queryset.filter(Q(published_at__gte=value) | Q(superseded_at__gte=value))


class PriorityFilter(filters.FilterSet):
    partnership = by_partnership("version__strategy__partnership")
    system = by_system("version__strategy__partnership__ics")
    strategy_version = filters.NumberFilter(field_name="version_id")
    updated_since = _changed_since("version__", "Priorities of versions published or superseded")
