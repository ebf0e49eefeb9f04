"""Who may read a published document: decided when it is read, from the current state
of its source, for every route (download, meeting page, strategy pages, search).

A document is a picture of its source at one moment. The public may read it only while
the picture is still true and the source is still public:

- an agenda pack: its meeting is held in public, by a partnership the public may see,
  the agenda is published, and the pack's fingerprint is the one the agenda would give
  now (so a paper restricted, replaced or withdrawn, an item made exempt, or any edit of
  what the pack prints, takes the old pack away from the public the moment it is saved);
- minutes: the meeting is held in public, the version is the one the public reads
  (published or approved, not superseded), and its fingerprint is current;
- a strategy version: the version is published (or a published one since superseded).

Members' packs, and every document of a partnership, are readable by those who may read
its exempt material (members, chairs, the secretariat). Nothing else is stored about
who may read a document: there is no flag to go stale.
"""

import functools
import operator

from django.db.models import Q

from core.tasks import send_on_commit
from meetings.access import papers_withheld_from
from meetings.models import Minutes
from membership.permissions import VIEW_EXEMPT, user_can
from partnerships.models import Partnership
from strategy.models import StrategyVersion

from . import renderers
from .models import PUBLIC_KINDS, PublishedDocument

Kind = PublishedDocument.Kind
MEETING_KINDS = (Kind.AGENDA_PACK, Kind.MINUTES)


def _base_public_filter(kinds=PUBLIC_KINDS) -> Q:
    """What can be told from the database alone; the fingerprint check comes after. Only the
    rules of `kinds` are joined in: a query about strategies need not plan the meetings' and
    minutes' joins."""
    meeting_public = Q(
        meeting__is_public=True,
        meeting__agenda_published_at__isnull=False,
    )
    minutes_public = (
        Q(meeting__is_public=True)
        & (Q(minutes__published_at__isnull=False) | Q(minutes__status=Minutes.Status.APPROVED))
        & ~Q(minutes__status=Minutes.Status.SUPERSEDED)
    )
    rules = {
        Kind.AGENDA_PACK: Q(kind=Kind.AGENDA_PACK) & meeting_public,
        Kind.MINUTES: Q(kind=Kind.MINUTES) & minutes_public,
        # The strategy's own definition of a public version, not a copy of it.
        Kind.STRATEGY: Q(kind=Kind.STRATEGY, strategy_version__in=StrategyVersion.objects.public()),
    }
    wanted = [rule for kind, rule in rules.items() if kind in kinds]
    if not wanted:
        return Q(pk__in=[])
    return Q(status=PublishedDocument.Status.DONE, partnership__in=Partnership.objects.public()) & functools.reduce(
        operator.or_, wanted
    )


def public_candidates(queryset=None, *, kinds=PUBLIC_KINDS):
    """Documents that may be public, before the fingerprint check of `current_only`; of `kinds`
    only, when the caller knows which it wants."""
    queryset = PublishedDocument.objects.all() if queryset is None else queryset
    return queryset.filter(_base_public_filter(kinds))


def current_fingerprints(documents, *, public_agendas=None) -> dict[int, str]:
    """What each of `documents` would hold if built now, by document id; agenda packs in
    two queries for all, minutes one rendering each, strategy versions never change.
    `public_agendas`: the public agendas, supplements and action logs of all their meetings,
    already built (`renderers.agenda_fingerprints`' `built`)."""
    result = {}
    packs = {Kind.AGENDA_PACK: False, Kind.MEMBERS_PACK: True}
    for kind, include_exempt in packs.items():
        of_kind = [d for d in documents if d.kind == kind]
        if of_kind:
            meetings = {d.meeting_id: d.meeting for d in of_kind}
            built = None if include_exempt else public_agendas
            fingerprints = renderers.agenda_fingerprints(meetings.values(), include_exempt=include_exempt, built=built)
            result.update({d.pk: fingerprints[d.meeting_id] for d in of_kind})
    for document in documents:
        if document.kind == Kind.MINUTES:
            result[document.pk] = renderers.minutes_fingerprint(document.minutes)
        elif document.kind == Kind.STRATEGY:
            result[document.pk] = document.source_version
    return result


def current_only(documents, *, public_agendas=None) -> list[PublishedDocument]:
    """Those of `documents` whose content is what their source would give now."""
    documents = list(documents)
    fingerprints = current_fingerprints(documents, public_agendas=public_agendas)
    return [d for d in documents if fingerprints[d.pk] == d.source_version]


def is_public_now(document: PublishedDocument) -> bool:
    if document.kind not in PUBLIC_KINDS:
        return False
    if not public_candidates(PublishedDocument.objects.filter(pk=document.pk), kinds=[document.kind]).exists():
        return False
    return bool(current_only([document]))


def readable_by(document: PublishedDocument, user) -> bool:
    """May `user` (anonymous included) read `document` now? Not the members' pack everyone
    shares, for a member withheld one of its papers because of an interest (they get their own,
    `withheld_from_pack`)."""
    if document.status != PublishedDocument.Status.DONE:
        return False
    if user_can(user, VIEW_EXEMPT, document.partnership):
        return not withheld_from_pack(document, user)
    return is_public_now(document)


def withheld_from_pack(document: PublishedDocument, user) -> frozenset[int]:
    """The paper versions of a members' pack that `user`, a reader of exempt material, may not
    read because of an interest (`meetings.access.papers_withheld_from`): empty for any other
    document or reader."""
    if document.kind != Kind.MEMBERS_PACK or document.meeting is None:
        return frozenset()
    withheld = papers_withheld_from(user, document.meeting)
    return frozenset(w.paper.current_version_id for w in withheld.values() if w.paper.current_version_id)


def documents_for_meeting(meeting, *, user, public_agenda=None) -> list[PublishedDocument]:
    """The documents to offer on a meeting's page: for the public, the current public
    ones; for its members, the newest of each kind (members' pack included).

    `public_agenda`: the `(rows, supplements, carried_forward)` the page shows the public
    (`presenters.published_agenda` and `agenda_supplements` with `reader=False`, and the public
    record's actions carried forward, None when the page has not read them), which the public
    pack's fingerprint is made of, so the page need not build them twice."""
    documents = (
        PublishedDocument.objects.done()
        .filter(meeting=meeting)
        .select_related("minutes")
        # A pack's text (for search) can be long, and the page never shows it.
        .defer("text")
        .order_by("kind", "-created_at", "-pk")
    )
    if user_can(user, VIEW_EXEMPT, meeting.partnership):
        newest = {}
        for document in documents:
            newest.setdefault(document.kind, document)
        return list(newest.values())
    # A meeting has agenda packs and minutes, never a strategy: that rule need not be joined in.
    candidates = list(public_candidates(documents, kinds=MEETING_KINDS))
    for document in candidates:
        # The meeting is already loaded, with its partnership: spares reading it again.
        document.meeting = meeting
        if document.minutes_id and document.minutes.meeting_id == meeting.pk:
            document.minutes.meeting = meeting
    built = None
    if public_agenda is not None:
        rows, supplements, carried_forward = public_agenda
        logs = {} if carried_forward is None else {meeting.pk: carried_forward}
        built = ({meeting.pk: rows}, {meeting.pk: supplements}, logs)
    current = current_only(candidates, public_agendas=built)
    if {d.kind for d in candidates} - {d.kind for d in current}:
        # Something changed that no service asked new documents for: ask now, in the
        # background; until they are built the public get none rather than stale ones.
        from .tasks import refresh_meeting_documents

        # Sent from a public read: a broker that is down must not fail the page.
        send_on_commit(refresh_meeting_documents, meeting.pk, then="the next read of the meeting asks again")
    return current


def current_public_document(*, kind, meeting=None, strategy_version=None):
    """The document of `kind` the public may read now for a meeting or strategy version, if any."""
    documents = PublishedDocument.objects.done().filter(kind=kind).defer("text")
    if meeting is not None:
        # A meeting's documents are checked against the meeting and its minutes (`current_only`);
        # a strategy version's document against nothing but itself, so it joins neither.
        documents = documents.filter(meeting=meeting).select_related(
            "meeting__partnership", "minutes__meeting__partnership"
        )
    if strategy_version is not None:
        documents = documents.filter(strategy_version=strategy_version)
    documents = public_candidates(documents, kinds=[kind])
    for document in current_only(documents.order_by("-created_at", "-pk")[:5]):
        return document
    return None
