"""The API's representations. Field names follow Popolo and Open Civic Data where they have one
(organization, person, membership, post, event, `start_date`, `classification`); the mapping,
and to OParl, is in docs/open-data.md.

Each serializer is given rows from `api.selectors` only. What the public may see of an exempt
agenda item is decided once, in `AgendaItemSerializer.to_representation`: the rest of the item
is never read, so no field added later can leak it.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from meetings.models import Action, AgendaItem, Consideration, Decision, Meeting, Paper
from meetings.presenters import release_summary
from membership.models import ChairAppointment, Membership, Person
from partnerships.models import IntegratedCareBoard, IntegratedCareSystem, LocalAuthority, Partnership, Region
from strategy.models import OutcomeMeasure, Priority, Section, Strategy, StrategyVersion


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class PageLink(serializers.Field):
    """The public web page of an object (its `get_absolute_url`), as an absolute URL."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, value):
        return absolute(self.context.get("request"), value.get_absolute_url())


extend_schema_field({"type": "string", "format": "uri"})(PageLink)


def api_link(view_name: str, **extra):
    return serializers.HyperlinkedIdentityField(view_name=f"api:{view_name}-detail", **extra)


# The fields that open most representations of a thing with its own public page.
PAGE_FIELDS = ["id", "url", "html_url", "name", "slug"]


class Reference(serializers.Serializer):
    """Another object, by id and name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


# Geography and organisations ------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    url = api_link("region")
    html_url = PageLink()

    class Meta:
        model = Region
        fields = [*PAGE_FIELDS, "ons_code"]


class CouncilAreaSerializer(serializers.Serializer):
    """A council's place in a system, for the dates it held (a change of share or of system ends
    one row and starts another); `provisional` while the sources do not confirm it."""

    council = serializers.IntegerField(source="local_authority_id")
    share_of_area_pct = serializers.DecimalField(source="lsoa_share_pct", max_digits=4, decimal_places=1)
    start_date = serializers.DateField(source="valid_from", allow_null=True)
    end_date = serializers.DateField(source="valid_to", allow_null=True)
    provisional = serializers.BooleanField()


# Popolo's founding and dissolution dates, from the organisation's validity dates. (No docstring
# on a mixin: drf-spectacular would describe every serializer built on it with it.)
class FoundingDatesMixin(serializers.Serializer):
    founding_date = serializers.DateField(source="valid_from", allow_null=True)
    dissolution_date = serializers.DateField(source="valid_to", allow_null=True)


class OrganisationDatesMixin(FoundingDatesMixin):
    """Popolo's founding and dissolution dates, from the organisation's validity dates."""

    successor = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)


# Popolo's dates of an organisation, and what came after it.
ORGANISATION_DATES = ["founding_date", "dissolution_date", "successor"]


class SystemSerializer(FoundingDatesMixin, serializers.ModelSerializer):
    url = api_link("system")
    html_url = PageLink()
    classification = serializers.SerializerMethodField()
    board = serializers.SerializerMethodField()
    council_areas = CouncilAreaSerializer(many=True, read_only=True)

    class Meta:
        model = IntegratedCareSystem
        fields = [
            *PAGE_FIELDS,
            "classification",
            "region",
            "board",
            "council_areas",
            "founding_date",
            "dissolution_date",
            "provisional_note",
        ]

    def get_classification(self, obj) -> str:
        return "integrated_care_system"

    @extend_schema_field(OpenApiTypes.INT)
    def get_board(self, obj):
        board = getattr(obj, "icb", None)  # a system whose board is not recorded has none
        return board.pk if board else None


class BoardSerializer(OrganisationDatesMixin, serializers.ModelSerializer):
    url = api_link("board")
    classification = serializers.CharField(source="sector")
    system = serializers.PrimaryKeyRelatedField(source="ics", read_only=True)

    class Meta:
        model = IntegratedCareBoard
        fields = [
            "id",
            "url",
            "name",
            "classification",
            "ons_code",
            "ods_code",
            "system",
            "website",
            *ORGANISATION_DATES,
        ]


class CouncilSerializer(OrganisationDatesMixin, serializers.ModelSerializer):
    url = api_link("council")
    classification = serializers.CharField(source="la_type")
    systems = serializers.SerializerMethodField()

    class Meta:
        model = LocalAuthority
        fields = [
            "id",
            "url",
            "name",
            "classification",
            "ons_code",
            "website",
            "systems",
            *ORGANISATION_DATES,
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_systems(self, obj):
        return sorted({area.ics_id for area in obj.system_areas.all()})


class PartnershipSerializer(serializers.ModelSerializer):
    url = api_link("partnership")
    html_url = PageLink()
    classification = serializers.CharField(source="kind")
    system = serializers.PrimaryKeyRelatedField(source="ics", read_only=True)
    parent = serializers.SerializerMethodField()
    sub_partnerships = serializers.SerializerMethodField()
    successor = serializers.SerializerMethodField()
    founding_date = serializers.DateField(source="established_on", allow_null=True)
    dissolution_date = serializers.DateField(source="ended_on", allow_null=True)

    class Meta:
        model = Partnership
        fields = [
            *PAGE_FIELDS,
            "classification",
            "system",
            "parent",
            "sub_partnerships",
            "purpose",
            "access_rule",
            "minutes_due_working_days",
            "quorum_rule",
            "contact_email",
            "website",
            *ORGANISATION_DATES,
        ]

    @extend_schema_field(OpenApiTypes.INT)
    def get_successor(self, obj):
        """The partnership it merged into, while the public may see it."""
        return obj.successor_id if obj.successor_id in self.context.get("public_partnership_ids", ()) else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_parent(self, obj):
        """The parent only while the public may see it, as the partnership's page links it."""
        return obj.parent_id if obj.parent_id in self.context.get("public_partnership_ids", ()) else None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_sub_partnerships(self, obj):
        return [sub.pk for sub in obj.public_sub_partnerships]


# People and their roles ---------------------------------------------------------------------


class PersonSerializer(serializers.ModelSerializer):
    """A person's public record: never their email address or phone number."""

    url = api_link("person")
    html_url = PageLink()
    name = serializers.CharField(source="display_name")
    honorific_prefix = serializers.CharField(source="honorific")
    honorific_suffix = serializers.CharField(source="post_nominals")

    class Meta:
        model = Person
        fields = [
            *PAGE_FIELDS,
            "honorific_prefix",
            "given_name",
            "family_name",
            "honorific_suffix",
            "pronouns",
            "is_demonstration",
        ]


# A person's role on a partnership for a term (a Popolo membership): who, and of what.
class RoleMixin(serializers.Serializer):
    person_name = serializers.CharField(source="person.display_name")
    organization = serializers.PrimaryKeyRelatedField(source="partnership", read_only=True)


# What opens and closes a role's representation: who holds it, on what, and for which term.
ROLE_HOLDER = ["id", "url", "person", "person_name", "organization", "role"]
ROLE_TERM = ["start_date", "end_date", "end_reason"]


class MembershipSerializer(RoleMixin, serializers.ModelSerializer):
    url = api_link("membership")
    label = serializers.CharField(source="seat")
    on_behalf_of = Reference(source="organisation", allow_null=True, read_only=True)

    class Meta:
        model = Membership
        fields = [*ROLE_HOLDER, "label", "on_behalf_of", "sector", "is_voting", *ROLE_TERM]


class ChairAppointmentSerializer(RoleMixin, serializers.ModelSerializer):
    """A Popolo membership of the partnership's post of chair, co-chair or vice-chair."""

    url = api_link("chair-appointment")
    post = serializers.CharField(source="get_role_display")

    class Meta:
        model = ChairAppointment
        fields = [*ROLE_HOLDER, "post", "appointed_by", "appointed_on", *ROLE_TERM]


# Meetings -------------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    """An Open Civic Data event."""

    url = api_link("meeting")
    html_url = PageLink()
    organization = serializers.PrimaryKeyRelatedField(source="partnership", read_only=True)
    name = serializers.CharField(source="title")
    classification = serializers.SerializerMethodField()
    start_date = serializers.DateTimeField(source="starts_at")
    end_date = serializers.DateTimeField(source="ends_at")
    location = serializers.CharField(source="venue")
    agenda_published_late = serializers.BooleanField()
    agenda_items = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "html_url",
            "organization",
            "name",
            "classification",
            "start_date",
            "end_date",
            "status",
            "location",
            "notice",
            "joining_url",
            "webcast_url",
            "agenda_published_at",
            "agenda_published_late",
            "late_publication_reason",
            "recorded_after_event",
            "agenda_items",
            "updated_at",
        ]

    def get_classification(self, obj) -> str:
        return "meeting"

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_agenda_items(self, obj):
        request = self.context.get("request")
        return absolute(request, reverse("api:agenda-item-list") + f"?meeting={obj.pk}")


class DocumentSerializer(serializers.Serializer):
    """A published PDF (agenda pack, minutes, strategy) the public may read now."""

    title = serializers.CharField()
    classification = serializers.CharField(source="kind")
    url = serializers.SerializerMethodField()
    media_type = serializers.SerializerMethodField()
    size = serializers.IntegerField(allow_null=True)
    page_count = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField()
    date = serializers.DateTimeField(source="finished_at", allow_null=True)

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_url(self, obj):
        return absolute(self.context.get("request"), obj.get_absolute_url())

    def get_media_type(self, obj) -> str:
        return "application/pdf"


# The published PDFs the view puts in the context (`documents`), as the page offers them.
class DocumentsMixin(serializers.Serializer):
    documents = serializers.SerializerMethodField()

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, obj):
        return DocumentSerializer(self.context["documents"], many=True, context=self.context).data


class MeetingDetailSerializer(DocumentsMixin, MeetingSerializer):
    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "documents"]


class PaperSerializer(serializers.ModelSerializer):
    """A paper the public may read, and a link to its current version's PDF."""

    url = api_link("paper")
    meeting = serializers.IntegerField(source="agenda_item.meeting_id")
    organization = serializers.IntegerField(source="agenda_item.meeting.partnership_id")
    version = serializers.IntegerField(source="current_version.number")
    download_url = serializers.SerializerMethodField()
    media_type = serializers.SerializerMethodField()
    size = serializers.IntegerField(source="current_version.size")
    page_count = serializers.IntegerField(source="current_version.page_count", allow_null=True)
    sha256 = serializers.CharField(source="current_version.sha256")
    date = serializers.DateTimeField(source="current_version.uploaded_at")

    class Meta:
        model = Paper
        fields = [
            "id",
            "url",
            "title",
            "agenda_item",
            "meeting",
            "organization",
            "version",
            "download_url",
            "media_type",
            "size",
            "page_count",
            "sha256",
            "date",
        ]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_download_url(self, obj):
        path = obj.current_version.get_absolute_url()
        return absolute(self.context.get("request"), path)

    def get_media_type(self, obj) -> str:
        return "application/pdf"


class AgendaItemSerializer(serializers.Serializer):
    """An item of a published agenda. An exempt item is withheld by construction: only its
    number, title, Schedule 12A paragraph and the notices the meeting page prints are read;
    every other field is null (or empty) whatever the item holds. Once its exemption is
    released (`meetings.exemptions`) it reads as the meeting page shows it, papers included."""

    id = serializers.IntegerField()
    url = api_link("agenda-item")
    meeting = serializers.IntegerField(source="meeting_id")
    number = serializers.IntegerField()
    title = serializers.CharField()
    is_exempt = serializers.BooleanField()
    exempt_paragraph = serializers.IntegerField(allow_null=True)
    exempt_summary = serializers.CharField()
    is_late = serializers.BooleanField()
    urgency_reason = serializers.CharField()
    is_withdrawn = serializers.BooleanField()
    withdrawal_reason = serializers.CharField()
    release_summary = serializers.SerializerMethodField()
    classification = serializers.CharField(source="purpose", allow_null=True)
    presenter = serializers.CharField(allow_null=True)
    minutes_allotted = serializers.IntegerField(allow_null=True)
    papers = serializers.SerializerMethodField()

    PUBLIC_WHEN_EXEMPT = (
        "id",
        "url",
        "meeting",
        "number",
        "title",
        "is_exempt",
        "exempt_paragraph",
        "exempt_summary",
        "is_late",
        "urgency_reason",
        "is_withdrawn",
        "withdrawal_reason",
    )

    def to_representation(self, item: AgendaItem):
        # Withheld: exempt and its exemption not released (`AgendaItem.is_withheld`, as the page reads it).
        if item.is_withheld:
            fields = self.fields
            shown = {
                name: fields[name].to_representation(fields[name].get_attribute(item))
                for name in self.PUBLIC_WHEN_EXEMPT
            }
            return {
                **shown,
                "release_summary": "",
                "classification": None,
                "presenter": None,
                "minutes_allotted": None,
                "papers": [],
            }
        return super().to_representation(item)

    def get_release_summary(self, item) -> str:
        """For an exempt item since released: "Exempt under paragraph 3 until <date>; released"."""
        return release_summary(item)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_papers(self, item):
        """The item's papers the public may read (`public_papers`, from `Paper.objects.public()`)."""
        return [paper.pk for paper in item.public_papers]


class ConsiderationSerializer(serializers.ModelSerializer):
    """One step of a paper's path (OParl `Consultation`): the item of a meeting on the portal that
    considered it, or a body outside the portal (`body`, `date`, `external_url`), with the paper's
    role there and the outcome. Only steps the public may see (`selectors.public_considerations`)."""

    url = api_link("consideration")
    paper_url = serializers.HyperlinkedRelatedField(source="paper", view_name="api:paper-detail", read_only=True)
    meeting = serializers.IntegerField(source="agenda_item.meeting_id", allow_null=True, default=None)
    organization = serializers.IntegerField(source="agenda_item.meeting.partnership_id", allow_null=True, default=None)
    body = serializers.CharField(source="body_name")
    date = serializers.DateField()
    authoritative = serializers.SerializerMethodField()
    external_url = serializers.CharField(source="url")
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = Consideration
        fields = [
            "id",
            "url",
            "paper",
            "paper_url",
            "agenda_item",
            "meeting",
            "organization",
            "body",
            "date",
            "role",
            "authoritative",
            "outcome",
            "outcome_note",
            "external_url",
            "html_url",
            "updated_at",
        ]

    def get_authoritative(self, obj) -> bool:
        """OParl's flag: the paper was for decision at this step."""
        return obj.role == Consideration.Role.DECISION

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_html_url(self, obj):
        """The paper's public page, which shows its whole path."""
        partnership_slug = obj.paper.agenda_item.meeting.partnership.slug
        path = reverse("meetings:paper_page", kwargs={"slug": partnership_slug, "pk": obj.paper_id})
        return absolute(self.context.get("request"), path)


def action_owner(action: Action) -> str:
    """As the public action log names the owner: the person, the organisation, or both."""
    return ", ".join(str(owner) for owner in (action.owner_person, action.owner_organisation) if owner is not None)


# Where a decision or action was recorded: the partnership, the item's number and the meeting's date.
class RecordedAtMeetingMixin(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(source="partnership", read_only=True)
    agenda_item_number = serializers.IntegerField(source="agenda_item.position", allow_null=True, default=None)
    date = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.DATE)
    def get_date(self, obj):
        return obj.meeting.date


RECORDED_AT_MEETING = ["id", "url", "organization", "meeting", "agenda_item", "agenda_item_number", "date"]


class DecisionSerializer(RecordedAtMeetingMixin, serializers.ModelSerializer):
    url = api_link("decision")
    text = serializers.CharField(source="wording")
    recorded_without_quorum = serializers.BooleanField(source="inquorate")

    class Meta:
        model = Decision
        fields = [*RECORDED_AT_MEETING, "reference", "text", "status", "recorded_without_quorum"]


class ActionSerializer(RecordedAtMeetingMixin, serializers.ModelSerializer):
    url = api_link("action")
    owner = serializers.SerializerMethodField()
    owner_organization = Reference(source="owner_organisation", allow_null=True, read_only=True)

    class Meta:
        model = Action
        fields = [*RECORDED_AT_MEETING, "description", "owner", "owner_organization", "due_date", "status"]

    def get_owner(self, obj) -> str:
        return action_owner(obj)


# The strategy ---------------------------------------------------------------------------------


class StrategySerializer(serializers.ModelSerializer):
    url = api_link("strategy")
    html_url = PageLink()
    organization = serializers.PrimaryKeyRelatedField(source="partnership", read_only=True)
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Strategy
        fields = ["id", "url", "html_url", "organization", "review_due", "versions"]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_versions(self, obj):
        return [version.pk for version in obj.public_versions]


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["position", "title", "body"]


class StrategyVersionSerializer(serializers.ModelSerializer):
    url = api_link("strategy-version")
    html_url = serializers.SerializerMethodField()
    organization = serializers.IntegerField(source="strategy.partnership_id")
    adopted_by_decision = serializers.SerializerMethodField()

    class Meta:
        model = StrategyVersion
        fields = [
            "id",
            "url",
            "html_url",
            "strategy",
            "organization",
            "number",
            "title",
            "summary",
            "change_summary",
            "status",
            "published_at",
            "superseded_at",
            "adopted_by_decision",
        ]

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_html_url(self, obj):
        path = reverse("strategy:public_version", kwargs={"slug": obj.strategy.partnership.slug, "number": obj.number})
        return absolute(self.context.get("request"), path)

    @extend_schema_field(OpenApiTypes.INT)
    def get_adopted_by_decision(self, obj):
        """The adopting decision, only while it is itself on the public record."""
        return obj.adopted_by_decision_id if obj.adoption_is_public else None


class StrategyVersionDetailSerializer(DocumentsMixin, StrategyVersionSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(StrategyVersionSerializer.Meta):
        fields = [*StrategyVersionSerializer.Meta.fields, "sections", "documents"]


class OutcomeMeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutcomeMeasure
        fields = ["position", "name", "baseline", "baseline_period", "target", "target_date"]


class PrioritySerializer(serializers.ModelSerializer):
    url = api_link("priority")
    strategy_version = serializers.PrimaryKeyRelatedField(source="version", read_only=True)
    organization = serializers.IntegerField(source="version.strategy.partnership_id")
    aims = serializers.ListField(child=serializers.CharField())
    measures = OutcomeMeasureSerializer(many=True, read_only=True)

    class Meta:
        model = Priority
        fields = [
            "id",
            "url",
            "strategy_version",
            "organization",
            "position",
            "title",
            "summary",
            "aims",
            "theme",
            "topic",
            "measures",
        ]
