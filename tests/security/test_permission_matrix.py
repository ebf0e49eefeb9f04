"""The permission contract: every URL pattern of the portal × every actor.

`TABLE` maps each URL name in the URLconf to how its arguments are made from the world
(conftest.py) and its access class. A URL added without an entry fails
`test_every_url_pattern_is_in_the_matrix`, so none can be forgotten.

Access classes, as the rules say (docs/security.md, DESIGN.md "Permissions"):

- PUBLIC: anyone; private or unpublished objects are probed separately as READER or HIDDEN.
- READER: what only readers of the partnership (members, participants, chairs, the
  secretariat) may read; 404 to everyone else, signed in or not, so its existence is not revealed.
- HIDDEN: not on the public site for anyone (a draft under a public address).
- STAFF: the partnership's secretariat; anonymous visitors are sent to sign in, anyone
  else signed in gets 403 or 404.
- STRATEGY_STAFF: the secretariat, chairs and co-chairs. CHAIRS: chairs and co-chairs.
- AUTH: anyone signed in.
Portal administrators (superusers) may do everything. Rights come only from roles a
partnership grants: running a parent partnership gives nothing on its sub-partnerships,
and a term that has ended gives nothing.

Every response to a signed-in actor must keep out of shared caches (no `public` in
Cache-Control), and members' material must be `private, no-store`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pytest
from django.conf import settings
from django.contrib import admin
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from .conftest import ADMINISTER, APPROVE, MANAGE, READ, SCENARIOS
from .helpers import ChangeDetector, body, cache_directives, client_for, route_kwargs, routes, url_for

# ADMIN: portal administrators only (creating a partnership); anyone else signed in gets 403.
ADMIN = "admin"
PUBLIC, READER, HIDDEN, STAFF, STRATEGY_STAFF, CHAIRS, AUTH, LOGOUT = (
    "public",
    "reader",
    "hidden",
    "staff",
    "strategy staff",
    "chairs",
    "auth",
    "logout",
)
OK, LOGIN, REDIRECT = "ok", "login", "redirect"
REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Probe:
    """One request to make of a URL: its arguments from a side of the world, and who may."""

    access: str
    kwargs: Callable = lambda s: {}  # noqa: E731 - a table of small lambdas reads best
    label: str = ""
    ok: frozenset = frozenset({200})  # what an entitled GET gets
    post_only: bool = False
    post: dict | None = None  # data for the refused POSTs; None: nothing to refuse
    tenant: bool = True  # the first `slug` names a partnership (crossed ids apply)
    # Withdrawn from the public (a superseded pack, a replaced version): those not entitled
    # get 404 or a redirect (to what replaced it); those entitled may get either as well.
    withdrawn: bool = False


def staff(kwargs=lambda s: {}, *, post=None, post_only=False, ok=frozenset({200}), label=""):
    return Probe(STAFF, kwargs, label, ok, post_only, {} if post is None else post)


def slug(s):
    return {"slug": s.partnership.slug}


def _subscription(s):
    from alerts.models import Subscription

    return Subscription.objects.get_or_create(email="probe@example.org", partnership=s.partnership)[0]


def meeting(s, which="meeting"):
    return {"slug": s.partnership.slug, "pk": getattr(s, which).pk}


def record(s, **extra):
    return {"slug": s.partnership.slug, "pk": s.past_meeting.pk, **extra}


def version(s, which="draft_version", **extra):
    return {"slug": s.partnership.slug, "number": getattr(s, which).number, **extra}


def document(doc):
    return {"pk": doc.pk, "token": getattr(doc, "token", None)}


def paper_version(version_):
    return {"pk": version_.pk, "token": getattr(version_, "token", None)}


def evidence(s, which):
    item = getattr(s, which)
    return {**slug(s), "pk": item.pk, "token": getattr(item, "token", None)}


def api_pk(path: str, access: str = PUBLIC, label: str = "") -> Probe:
    """A detail of the open-data API: the object at `path` (dotted, from the side) by its pk."""

    def kwargs(s):
        obj = s
        for name in path.split("."):
            obj = getattr(obj, name)
        return {"pk": obj.pk}

    return Probe(access, kwargs, label or path, tenant=False)


def _first_step(paper) -> int:
    return paper.considerations.get(agenda_item=paper.agenda_item_id).pk


def paper_page(which: str):
    return lambda s: {"slug": s.partnership.slug, "pk": getattr(s, which).pk}


API_DETAILS = {
    "region": [api_pk("partnership.ics.region")],
    "system": [api_pk("partnership.ics")],
    "board": [api_pk("partnership.ics.icb")],
    "council": [api_pk("partnership.ics.icb", HIDDEN, "a board is not a council")],
    "partnership": [api_pk("partnership")],
    "person": [api_pk("person")],
    "membership": [api_pk("membership")],
    "chair-appointment": [api_pk("chair_appointment")],
    "meeting": [
        api_pk("meeting"),
        api_pk("unpublished_meeting", label="a meeting whose agenda is unpublished"),
        api_pk("private_meeting", HIDDEN, "a private session, even for its members"),
    ],
    "agenda-item": [
        api_pk("public_item"),
        api_pk("exempt_item", label="an exempt item (its number and title)"),
        api_pk("unpublished_item", HIDDEN, "an item of an unpublished agenda"),
    ],
    "paper": [
        api_pk("public_paper"),
        api_pk("restricted_paper", HIDDEN, "a restricted paper"),
        api_pk("exempt_paper", HIDDEN, "an exempt item's paper"),
        api_pk("private_paper", HIDDEN, "a private session's paper"),
        api_pk("unpublished_paper", HIDDEN, "an unpublished agenda's paper"),
    ],
    # A paper's first step of its path, at the item it was tabled at (meetings.consultations).
    "consideration": [
        Probe(PUBLIC, lambda s: {"pk": _first_step(s.public_paper)}, "a public paper's step", tenant=False),
        Probe(HIDDEN, lambda s: {"pk": _first_step(s.exempt_paper)}, "an exempt item's paper's step", tenant=False),
        Probe(HIDDEN, lambda s: {"pk": _first_step(s.restricted_paper)}, "a restricted paper's step", tenant=False),
        Probe(HIDDEN, lambda s: {"pk": _first_step(s.private_paper)}, "a private session's paper's step", tenant=False),
    ],
    "decision": [api_pk("decision"), api_pk("exempt_decision", HIDDEN, "an exempt item's decision")],
    "action": [api_pk("action")],
    "strategy": [api_pk("strategy")],
    "strategy-version": [api_pk("published_version"), api_pk("draft_version", HIDDEN, "a draft")],
    "priority": [api_pk("published_priority"), api_pk("priority", HIDDEN, "a draft's priority")],
}

TODAY = str(timezone.localdate())
END_TERM = {"end_date": TODAY, "end_reason": "Left the partnership."}

TABLE: dict[str, list[Probe]] = {
    # The site and signing in.
    "home": [Probe(PUBLIC)],
    "healthz": [Probe(PUBLIC)],
    "healthz_live": [Probe(PUBLIC)],
    "healthz_ready": [Probe(PUBLIC)],
    # Full mode (CI) runs no worker or beat for this test: the report then says 503.
    "healthz_deps": [Probe(PUBLIC, ok=frozenset({200, 503}))],
    "login": [Probe(PUBLIC)],
    "logout": [Probe(LOGOUT)],
    "password_change": [Probe(AUTH, post={"old_password": "x", "new_password1": "y", "new_password2": "y"})],
    "password_change_done": [Probe(AUTH)],
    "password_reset": [Probe(PUBLIC)],
    "password_reset_done": [Probe(PUBLIC)],
    "password_reset_confirm": [Probe(PUBLIC, lambda s: {"uidb64": "MQ", "token": "not-a-token"})],
    "password_reset_complete": [Probe(PUBLIC)],
    # Two-factor sign-in (a verified session is sent on from the code page: 302).
    "two_factor": [Probe(AUTH, ok=frozenset({200, 302}))],
    "two_factor_verify": [Probe(AUTH, ok=frozenset({200, 302}))],
    "two_factor_setup": [Probe(AUTH, ok=frozenset({200, 302}))],
    "two_factor_recovery_codes": [Probe(AUTH, ok=frozenset({200, 302}))],
    "two_factor_turn_off": [Probe(AUTH, post_only=True)],
    # The link in an invitation email: an unknown token is a clear 404 page for everyone.
    "membership:invitation_accept": [Probe(PUBLIC, lambda s: {"token": "not-a-token"}, ok=frozenset({404}))],
    # The directory and the partnership's public pages.
    "partnerships:region": [Probe(PUBLIC, lambda s: {"slug": s.partnership.ics.region.slug}, tenant=False)],
    "partnerships:system": [Probe(PUBLIC, lambda s: {"slug": s.partnership.ics.slug}, tenant=False)],
    "partnerships:place": [
        Probe(PUBLIC, lambda s: {"slug": s.partnership.ics.slug, "place_slug": s.place.slug}, tenant=False)
    ],
    "partnerships:changes": [Probe(PUBLIC, tenant=False)],
    "membership:partnership": [Probe(PUBLIC, slug)],
    "membership:terms_of_reference": [Probe(PUBLIC, lambda s: {"slug": s.partnership.slug})],
    "membership:person": [Probe(PUBLIC, lambda s: {"slug": s.person.slug}, tenant=False)],
    # The secretariat workspace.
    "accessibility": [Probe(PUBLIC, tenant=False)],
    "privacy": [Probe(PUBLIC, tenant=False)],
    "cookies": [Probe(PUBLIC, tenant=False)],
    "contact": [Probe(PUBLIC, tenant=False)],
    "service_status": [Probe(PUBLIC, tenant=False)],
    "workspace:home": [Probe(AUTH)],
    "workspace:partnership_create": [Probe(ADMIN, post={"name": "Created by an intruder"}, tenant=False)],
    "workspace:secretariat_invite": [
        staff(slug, post={"given_name": "Eve", "family_name": "Intruder", "email": "eve@example.org"})
    ],
    "workspace:organisations": [staff(slug)],
    "workspace:organisation_add": [staff(slug, post={"name": "Intruder Trust", "sector": "vcse"})],
    "workspace:organisation_edit": [
        staff(lambda s: {**slug(s), "pk": s.organisation.pk}, post={"name": "Renamed", "sector": "vcse"})
    ],
    "workspace:organisation_end": [staff(lambda s: {**slug(s), "pk": s.organisation.pk}, post=END_TERM)],
    "workspace:interest_end": [
        staff(lambda s: {**slug(s), "person_slug": s.person.slug, "pk": s.interest.pk}, post=END_TERM)
    ],
    "workspace:dashboard": [staff(slug)],
    "workspace:past_members": [staff(slug)],
    "workspace:partnership_edit": [staff(slug, post={"name": "Renamed"})],
    "workspace:audit": [staff(slug)],
    "workspace:person_add": [staff(slug, post={"given_name": "New", "family_name": "Person"})],
    "workspace:person": [staff(lambda s: {**slug(s), "person_slug": s.person.slug})],
    "workspace:person_edit": [staff(lambda s: {**slug(s), "person_slug": s.person.slug}, post={"given_name": "X"})],
    "workspace:interest_add": [staff(lambda s: {**slug(s), "person_slug": s.person.slug})],
    "workspace:nil_return_add": [staff(lambda s: {**slug(s), "person_slug": s.person.slug}, post={})],
    "workspace:membership_add": [staff(slug)],
    "workspace:import_upload": [staff(slug)],
    "workspace:import_preview": [staff(slug, post={"action": "cancel"})],
    "workspace:membership_end": [staff(lambda s: {**slug(s), "pk": s.membership.pk}, post=END_TERM)],
    "workspace:chair_appoint": [staff(slug)],
    "workspace:chair_end": [staff(lambda s: {**slug(s), "pk": s.chair_appointment.pk}, post=END_TERM)],
    "workspace:secretariat_assign": [staff(slug)],
    "workspace:secretariat_end": [
        staff(lambda s: {**slug(s), "pk": s.secretariat_assignment.pk}, post={"end_date": TODAY})
    ],
    "workspace:invitation_send": [staff(lambda s: {**slug(s), "person_slug": s.person.slug}, post={})],
    "workspace:invitation_resend": [staff(lambda s: {**slug(s), "pk": s.invitation.pk}, post={})],
    "workspace:invitation_revoke": [staff(lambda s: {**slug(s), "pk": s.invitation.pk}, post={})],
    "workspace:account_deactivate": [staff(lambda s: {**slug(s), "person_slug": s.person.slug}, post={})],
    "workspace:account_reactivate": [staff(lambda s: {**slug(s), "person_slug": s.person.slug}, post={})],
    # Meetings: public pages, feeds and papers.
    "meetings:list": [Probe(PUBLIC, slug)],
    "meetings:meeting": [
        Probe(PUBLIC, meeting, "a public meeting"),
        Probe(PUBLIC, lambda s: meeting(s, "unpublished_meeting"), "a meeting whose agenda is unpublished"),
        Probe(READER, lambda s: meeting(s, "private_meeting"), "a private session"),
    ],
    "meetings:calendar": [Probe(PUBLIC, slug)],
    "meetings:feed": [Probe(PUBLIC, slug)],
    "meetings:system_calendar": [Probe(PUBLIC, lambda s: {"slug": s.partnership.ics.slug}, tenant=False)],
    "meetings:system_feed": [Probe(PUBLIC, lambda s: {"slug": s.partnership.ics.slug}, tenant=False)],
    "meetings:national_calendar": [Probe(PUBLIC, tenant=False)],
    "meetings:national_feed": [Probe(PUBLIC, tenant=False)],
    # Email alerts (alerts/): public forms and links; the unsubscribe link's token is its only key.
    "alerts:follow_partnership": [Probe(PUBLIC, slug)],
    "alerts:follow_system": [Probe(PUBLIC, lambda s: {"slug": s.partnership.ics.slug}, tenant=False)],
    "alerts:follow_search": [Probe(PUBLIC, tenant=False)],
    "alerts:check_email": [Probe(PUBLIC, tenant=False)],
    "alerts:confirm": [Probe(PUBLIC, lambda s: {"token": "a-link-from-an-email"}, tenant=False)],
    "alerts:unsubscribe": [Probe(PUBLIC, lambda s: {"token": _subscription(s).token}, tenant=False)],
    "alerts:calendars": [Probe(PUBLIC, tenant=False)],
    "meetings:paper": [
        Probe(PUBLIC, lambda s: paper_version(s.public_paper.current_version), "a public paper"),
        Probe(READER, lambda s: paper_version(s.restricted_paper.current_version), "a restricted paper"),
        Probe(READER, lambda s: paper_version(s.exempt_paper.current_version), "an exempt item's paper"),
        Probe(READER, lambda s: paper_version(s.old_version), "a replaced version", withdrawn=True),
        Probe(READER, lambda s: paper_version(s.private_paper.current_version), "a private session's paper"),
        Probe(READER, lambda s: paper_version(s.unpublished_paper.current_version), "an unpublished agenda's paper"),
    ],
    # A paper and its path: as the paper's download decides, plus the steps each reader may see.
    "meetings:paper_page": [
        Probe(PUBLIC, paper_page("public_paper"), "a public paper"),
        Probe(READER, paper_page("restricted_paper"), "a restricted paper"),
        Probe(READER, paper_page("exempt_paper"), "an exempt item's paper"),
        Probe(READER, paper_page("private_paper"), "a private session's paper"),
        Probe(READER, paper_page("unpublished_paper"), "an unpublished agenda's paper"),
    ],
    # Meetings: the secretariat's pages.
    "meetings:staff_list": [staff(slug)],
    "meetings:staff_schedule": [staff(slug)],
    "meetings:staff_day_create": [staff(slug)],
    "meetings:staff_series_create": [staff(slug)],
    "meetings:staff_series": [staff(lambda s: {**slug(s), "pk": s.series.pk}, post={"months_ahead": 12})],
    "meetings:staff_meeting": [staff(meeting)],
    "meetings:staff_meeting_edit": [staff(meeting)],
    "meetings:staff_meeting_cancel": [staff(meeting, post={"outcome": "cancel", "notice": "Cancelled."})],
    "meetings:staff_publish": [staff(lambda s: meeting(s, "unpublished_meeting"))],
    "meetings:staff_item_add": [staff(meeting, post={"title": "Late", "purpose": "discussion", "urgency_reason": "!"})],
    "meetings:staff_standard_items": [staff(lambda s: meeting(s, "unpublished_meeting"), post_only=True)],
    "meetings:staff_item_edit": [
        staff(lambda s: {**meeting(s), "item_pk": s.public_item.pk}, post={"title": "Changed", "purpose": "decision"})
    ],
    "meetings:staff_item_move": [
        # After publication a move asks for the reason for the change first: a page of its own.
        staff(lambda s: {**meeting(s), "item_pk": s.exempt_item.pk}, post={"direction": "up"})
    ],
    "meetings:staff_item_remove": [
        staff(lambda s: {**meeting(s, "unpublished_meeting"), "item_pk": s.unpublished_item.pk})
    ],
    "meetings:staff_item_withdraw": [
        staff(lambda s: {**meeting(s), "item_pk": s.public_item.pk}, post={"reason": "The report is not ready."})
    ],
    "meetings:staff_paper_upload": [staff(lambda s: {**meeting(s), "item_pk": s.public_item.pk})],
    "meetings:staff_paper_replace": [staff(lambda s: {**meeting(s), "paper_pk": s.public_paper.pk})],
    "meetings:staff_paper_edit": [
        staff(lambda s: {**meeting(s), "paper_pk": s.public_paper.pk}, post={"title": "Changed", "restricted": "on"})
    ],
    # One report through many bodies: tabling a paper again, its path, recording each step.
    "meetings:staff_paper_reuse": [
        staff(lambda s: {**meeting(s), "item_pk": s.public_item.pk}, post={"role": "decision", "change_reason": "!"})
    ],
    "meetings:staff_paper_path": [
        staff(
            lambda s: {**meeting(s), "paper_pk": s.public_paper.pk},
            post={"body_name": "Intruder board", "considered_on": TODAY, "role": "decision"},
        )
    ],
    "meetings:staff_consideration": [
        staff(
            lambda s: {**meeting(s), "consideration_pk": _first_step(s.public_paper)},
            post={"role": "decision", "outcome": "not_agreed", "outcome_note": "Changed by an intruder."},
        )
    ],
    "meetings:staff_consideration_remove": [
        staff(lambda s: {**meeting(s), "consideration_pk": _first_step(s.public_paper)}, post_only=True)
    ],
    # Exemptions over time: releasing exempt material is the secretariat's act.
    "meetings:staff_exemptions": [staff(slug)],
    "meetings:staff_exemption_item": [
        staff(
            lambda s: {**slug(s), "pk": s.exempt_item.pk},
            post={"action": "release", "reason": "Signed.", "determination": "The monitoring officer."},
        )
    ],
    "meetings:staff_exemption_paper": [
        staff(
            lambda s: {**slug(s), "pk": s.restricted_paper.pk},
            post={"action": "release", "reason": "Signed.", "determination": "The monitoring officer."},
        )
    ],
    # The record of meetings.
    "record:meeting": [staff(record)],
    "record:attendance": [staff(record)],
    "record:attendance_add": [staff(record, post={"status": "in_attendance", "given_name": "A", "family_name": "B"})],
    "record:declarations": [staff(record)],
    "record:declaration_add": [staff(record)],
    "record:declaration_remove": [staff(lambda s: record(s, declaration_pk=s.declaration.pk))],
    "record:minutes": [staff(record)],
    "record:minutes_start": [staff(lambda s: meeting(s, "early_meeting"), post_only=True)],
    "record:minutes_version": [staff(lambda s: record(s, version=s.minutes_approved.version))],
    "record:minutes_entry": [
        staff(
            lambda s: record(s, version=s.minutes_draft.version, item_pk=s.past_item.pk),
            post={"discussion": "Rewritten.", "resolutions": ""},
        )
    ],
    "record:minutes_publish": [staff(lambda s: record(s, version=s.minutes_draft.version), post_only=True)],
    "record:minutes_approve": [
        staff(lambda s: {**meeting(s, "later_meeting"), "version": s.minutes_published_draft.version})
    ],
    "record:minutes_correct": [
        staff(lambda s: record(s, version=s.minutes_approved.version), post={"reason": "Wrong again."})
    ],
    "record:decisions": [staff(record)],
    "record:actions": [staff(record)],
    "record:decision_register": [staff(slug)],
    "record:decision_edit": [staff(lambda s: {**slug(s), "decision_pk": s.decision.pk})],
    "record:action_log": [staff(slug)],
    "record:action": [staff(lambda s: {**slug(s), "action_pk": s.action.pk})],
    "record:action_update": [
        staff(
            lambda s: {**slug(s), "action_pk": s.action.pk},
            post={"text": "Done.", "status": "done", "written_on": TODAY},
            post_only=True,
        )
    ],
    "record:public_decisions": [Probe(PUBLIC, slug)],
    "record:public_actions": [Probe(PUBLIC, slug)],
    # The strategy: public pages.
    "strategy:public": [Probe(PUBLIC, slug)],
    "strategy:public_versions": [Probe(PUBLIC, slug)],
    "strategy:public_version": [
        Probe(PUBLIC, lambda s: version(s, "published_version"), "the published version"),
        Probe(HIDDEN, version, "a draft"),
    ],
    "strategy:public_priority": [
        Probe(PUBLIC, lambda s: version(s, "published_version", pk=s.published_priority.pk), "a published priority"),
        Probe(HIDDEN, lambda s: version(s, pk=s.priority.pk), "a draft's priority"),
    ],
    "strategy:public_compare": [Probe(PUBLIC, slug)],
    "strategy:evidence_file": [
        Probe(PUBLIC, lambda s: evidence(s, "evidence_cited"), "evidence a published version cites"),
        Probe(HIDDEN, lambda s: evidence(s, "evidence_uncited"), "evidence only a draft cites"),
    ],
    # The strategy workspace.
    "strategy:workspace": [Probe(STRATEGY_STAFF, slug)],
    "strategy:start": [staff(slug, post={"title": "Another strategy"}, post_only=True)],
    "strategy:new_draft": [staff(slug, post_only=True)],
    "strategy:compare": [Probe(STRATEGY_STAFF, slug)],
    "strategy:evidence": [Probe(STRATEGY_STAFF, slug)],
    "strategy:evidence_add": [staff(slug)],
    "strategy:evidence_edit": [staff(lambda s: {**slug(s), "pk": s.evidence_cited.pk})],
    "strategy:evidence_file_staff": [Probe(STRATEGY_STAFF, lambda s: evidence(s, "evidence_uncited"))],
    "strategy:version": [Probe(STRATEGY_STAFF, version)],
    "strategy:version_edit": [staff(version, post={"title": "Changed", "summary": "", "change_summary": ""})],
    "strategy:submit": [staff(version)],
    "strategy:review": [Probe(CHAIRS, version, post={"decision": "approved", "comment": ""})],
    "strategy:settle": [staff(version, post_only=True)],
    "strategy:publish": [staff(version, ok=frozenset({200, 302}))],
    "strategy:section_add": [staff(version, post={"title": "New", "body": "Text."})],
    "strategy:section_edit": [staff(lambda s: version(s, pk=s.section.pk), post={"title": "Changed", "body": "X"})],
    "strategy:section_move": [staff(lambda s: version(s, pk=s.section.pk), post={"direction": "up"}, post_only=True)],
    "strategy:section_remove": [staff(lambda s: version(s, pk=s.section.pk))],
    "strategy:priority_add": [staff(version)],
    "strategy:priority_edit": [staff(lambda s: version(s, pk=s.priority.pk))],
    "strategy:priority_move": [staff(lambda s: version(s, pk=s.priority.pk), post={"direction": "up"}, post_only=True)],
    "strategy:priority_remove": [staff(lambda s: version(s, pk=s.priority.pk))],
    "strategy:measure_add": [staff(lambda s: version(s, pk=s.priority.pk))],
    "strategy:measure_edit": [staff(lambda s: version(s, pk=s.priority.pk, measure_pk=s.measure.pk))],
    "strategy:measure_remove": [staff(lambda s: version(s, pk=s.priority.pk, measure_pk=s.measure.pk))],
    "strategy:delivery": [staff(lambda s: version(s, pk=s.priority.pk))],
    "strategy:delivery_unlink": [staff(lambda s: version(s, pk=s.priority.pk, link_pk=s.link.pk), post_only=True)],
    "strategy:engagement_add": [staff(version)],
    "strategy:engagement_edit": [staff(lambda s: version(s, pk=s.engagement.pk))],
    "strategy:engagement_remove": [staff(lambda s: version(s, pk=s.engagement.pk))],
    # Published documents and search.
    "publishing:download": [
        Probe(PUBLIC, lambda s: document(s.agenda_pack), "the current agenda pack"),
        Probe(READER, lambda s: document(s.members_pack), "the members' pack"),
        Probe(READER, lambda s: document(s.old_agenda_pack), "a superseded agenda pack", withdrawn=True),
        Probe(READER, lambda s: document(s.private_pack), "a private session's pack"),
        Probe(PUBLIC, lambda s: document(s.minutes_document), "approved minutes"),
        Probe(PUBLIC, lambda s: document(s.strategy_document), "the published strategy"),
    ],
    "publishing:search": [Probe(PUBLIC)],
    "publishing:jobs": [staff(slug)],
    "publishing:retry": [staff(lambda s: {**slug(s), "pk": s.failed_document.pk}, post_only=True)],
    "publishing:meeting_documents": [staff(meeting)],
    # The open-data API: the public record for everyone, signed in or not; anything private is
    # absent for everyone, members included (HIDDEN). CSV exports of the public pages.
    "api:api-root": [Probe(PUBLIC, tenant=False)],
    "api:schema": [Probe(PUBLIC, tenant=False)],
    "api:docs": [Probe(PUBLIC, tenant=False)],
    **{f"api:{name}-list": [Probe(PUBLIC, tenant=False)] for name in API_DETAILS},
    **{f"api:{name}-detail": probes for name, probes in API_DETAILS.items()},
    "api:meetings_csv": [Probe(PUBLIC, slug)],
    "api:decisions_csv": [Probe(PUBLIC, slug)],
    "api:actions_csv": [Probe(PUBLIC, slug)],
    # The national transparency scorecard (transparency/): public, read from stored rows; the
    # meetings behind a figure are those held in public, whoever asks.
    "transparency:scorecard": [Probe(PUBLIC, tenant=False)],
    "transparency:methodology": [Probe(PUBLIC, tenant=False)],
    "transparency:scorecard_csv": [Probe(PUBLIC, tenant=False)],
    "transparency:scorecard_json": [Probe(PUBLIC, tenant=False)],
    "transparency:measure": [
        Probe(PUBLIC, lambda s: {**slug(s), "measure": "public-meetings"}, tenant=False),
        Probe(HIDDEN, lambda s: {**slug(s), "measure": "no-such-measure"}, "an unknown measure", tenant=False),
    ],
}

# Ids of partnership B's objects in the query string, under A's address.
QUERY_CROSSINGS = [
    ("strategy:delivery", lambda w: version(w.a, pk=w.a.priority.pk), lambda w: {"meeting": w.b.past_meeting.pk}),
]


# What each actor should get ---------------------------------------------------------------


def allowed(probe: Probe, rights: frozenset, signed_in: bool, *, crossed: bool = False) -> frozenset:
    """The outcomes `probe` may have for an actor with `rights` on the probed partnership:
    OK (one of probe.ok), LOGIN (a redirect to sign in) or a status code."""
    entitled = {
        PUBLIC: True,
        READER: READ in rights,
        HIDDEN: False,
        STAFF: MANAGE in rights,
        STRATEGY_STAFF: bool({MANAGE, APPROVE} & rights),
        CHAIRS: APPROVE in rights,
        AUTH: signed_in,
        ADMIN: ADMINISTER in rights,
        LOGOUT: False,
    }[probe.access]
    if probe.access == LOGOUT:
        outcomes = {405}
    elif entitled:
        outcomes = {OK}
    elif probe.access in (PUBLIC, READER, HIDDEN):
        outcomes = {404, REDIRECT} if probe.withdrawn else {404}
    elif not signed_in:
        outcomes = {LOGIN}
    else:
        outcomes = {403, 404}
    if probe.post_only:
        # A GET is the wrong method; require_POST may answer before or after the permission check.
        outcomes = {405} if entitled else outcomes | {405}
    if crossed:
        # Another partnership's object under this partnership's address does not exist here.
        outcomes = (outcomes - {OK}) | {404}
    return frozenset(outcomes)


def _login_path() -> str:
    return resolve_url(settings.LOGIN_URL)


def outcomes_of(response, probe: Probe) -> set:
    """Every outcome token `response` satisfies: its status, and OK, LOGIN or REDIRECT."""
    status = response.status_code
    if status in REDIRECTS and response["Location"].split("?")[0].endswith(_login_path()):
        return {status, LOGIN}
    found = {status}
    if status in probe.ok or (probe.withdrawn and (status in REDIRECTS or status == 404)):
        found.add(OK)
    if status in REDIRECTS:
        found.add(REDIRECT)
    return found


def verdict(response, error: str | None, probe: Probe, expected: frozenset) -> str | None:
    """None if the response is one `expected` allows, else what was wrong."""
    if error:
        return f"expected {_describe(expected)}, got {error}"
    if outcomes_of(response, probe) & expected:
        return None
    got = response.status_code
    if got in REDIRECTS:
        got = f"{got} to {response['Location']}"
    return f"expected {_describe(expected)}, got {got}"


def as_form(probe: Probe) -> Probe:
    """The probe as a POST: for a POST-only URL, no longer the wrong method."""
    return replace(probe, post_only=False)


def _describe(outcomes) -> str:
    return "/".join(sorted(str(o) for o in outcomes))


@dataclass
class Report:
    """Failures grouped by what went wrong where, each with the actors it happened to."""

    failures: dict[str, list[str]] = field(default_factory=dict)
    requests: int = 0

    def fail(self, problem: str, actor: str) -> None:
        self.failures.setdefault(problem, []).append(actor)

    def check(self, condition: bool, problem: str, actor: str) -> None:
        if not condition:
            self.fail(problem, actor)

    def assert_clean(self, what: str) -> None:
        lines = [f"{problem}  [as {', '.join(actors)}]" for problem, actors in self.failures.items()]
        count = sum(len(actors) for actors in self.failures.values())
        assert not lines, f"{count} checks of {self.requests} {what} broke the permission contract:\n  " + (
            "\n  ".join(lines)
        )


def _clients(world) -> dict[str | None, Client]:
    anonymous = client_for()
    return {None: anonymous, **{key: client_for(user, like=anonymous) for key, user in world.users.items()}}


def _probes(world, target: str):
    """(url name, probe, url) for every probe that applies to the `target` side."""
    side = getattr(world, target)
    known = routes()
    for name, probes in TABLE.items():
        if name not in known:
            continue  # reported by test_every_url_pattern_is_in_the_matrix
        for probe in probes:
            try:
                kwargs = probe.kwargs(side)
            except AttributeError:
                if side is world.a:
                    raise  # A has one of everything: a probe that cannot be built is a broken table
                continue  # the sub-partnership has only some kinds of document
            yield name, probe, url_for(name, **kwargs)


def _request(report: Report, client: Client, method: str, url: str, data=None):
    report.requests += 1
    try:
        response = getattr(client, method)(url, data or {})
    except Exception as exc:  # noqa: BLE001 - a crash is a failure of the contract, reported with the rest
        return None, f"an exception ({type(exc).__name__}: {str(exc)[:120]})"
    body(response)  # read (and close) streamed files
    return response, None


def _check_headers(report: Report, response, probe: Probe, scenario, where: str) -> None:
    if scenario.user is None or response is None:
        return
    directives = cache_directives(response)
    header = response.get("Cache-Control")
    report.check(
        "public" not in directives,
        f"{where}: a signed-in response with Cache-Control {header!r} (shared caches may keep it)",
        scenario.name,
    )
    if probe.access == READER and response.status_code == 200:
        report.check(
            {"private", "no-store"} <= set(directives),
            f"{where}: members' material with Cache-Control {header!r}, not 'private, no-store'",
            scenario.name,
        )


# The tests ----------------------------------------------------------------------------------


@pytest.fixture
def world(world):
    """The shared world, with an invitation on each side (made in this test's own savepoint)."""
    import datetime as dt
    import uuid

    from membership.models import Invitation

    for side in (world.a, world.sub, world.b):
        side.objects["invitation"] = Invitation.objects.create(
            person=side.person,
            partnership=side.partnership,
            role="Member",
            email=side.person.email,
            token_hash=uuid.uuid4().hex,
            expires_at=timezone.now() + dt.timedelta(days=7),
        )
    return world


def test_every_url_pattern_is_in_the_matrix():
    """A new URL must be given an access class here before it can ship."""
    known = routes()
    unnamed = sorted(name for name in known if "<unnamed" in name)
    missing = sorted(set(known) - set(TABLE))
    stale = sorted(set(TABLE) - set(known))
    assert not unnamed, f"URL patterns without a name cannot be checked: {unnamed}"
    assert not missing, f"URL names with no entry in the permission matrix (add them to TABLE): {missing}"
    assert not stale, f"TABLE names URLs the URLconf no longer has: {stale}"


def test_every_url_answers_every_actor_as_its_access_class_says(world):
    """GET every probe of every URL as every actor: entitled actors get the page, anyone else
    is sent to sign in or refused (403/404), never a 200 or a crash; signed-in responses are
    never publicly cacheable, and members' material is 'private, no-store'."""
    report = Report()
    clients = _clients(world)
    for scenario in SCENARIOS:
        client = clients[scenario.user]
        for name, probe, url in _probes(world, scenario.target):
            where = f"GET {name} [{probe.label or probe.access}] {url}"
            response, error = _request(report, client, "get", url)
            expected = allowed(probe, scenario.rights, scenario.user is not None)
            if problem := verdict(response, error, probe, expected):
                report.fail(f"{where}: {problem}", scenario.name)
            _check_headers(report, response, probe, scenario, where)
    report.assert_clean("GETs")


def test_refused_posts_change_nothing(world):
    """POST to every page that changes something, as every actor not entitled to: refused
    (sign in, 403 or 404) and not a row of the database changed, the audit log included."""
    report = Report()
    clients = _clients(world)
    detector = ChangeDetector()
    for scenario in SCENARIOS:
        client = clients[scenario.user]
        for name, probe, url in _probes(world, scenario.target):
            if probe.post is None:
                continue
            expected = allowed(as_form(probe), scenario.rights, scenario.user is not None)
            if OK in expected:
                continue  # entitled: not a refusal to check
            where = f"POST {name} {url}"
            response, error = _request(report, client, "post", url, probe.post)
            if problem := verdict(response, error, probe, expected):
                report.fail(f"{where}: {problem}", scenario.name)
            changed = detector.changed()
            report.check(not changed, f"{where}: a refused request changed {changed}", scenario.name)
    report.assert_clean("refused POSTs")


def _crossings(world):
    """(url name, probe, url, description) with partnership B's ids under A's address: all of
    B's ids at once, then each id of B's in turn among A's."""
    for name, probes in TABLE.items():
        for probe in probes:
            if not probe.tenant:
                continue
            try:
                mine = route_kwargs(name, **probe.kwargs(world.a))
                theirs = route_kwargs(name, **probe.kwargs(world.b))
            except AttributeError:
                continue
            if "slug" not in mine:
                continue
            variants = [({**theirs, "slug": mine["slug"]}, "B's ids")]
            others = [key for key in mine if key != "slug" and mine[key] != theirs[key]]
            if len(others) > 1:
                variants += [({**mine, key: theirs[key]}, f"B's {key}") for key in others]
            for kwargs, description in variants:
                if kwargs != mine:
                    yield name, probe, url_for(name, **kwargs), description
    for name, mine, query in QUERY_CROSSINGS:
        probe = TABLE[name][0]
        url = url_for(name, **mine(world)) + "?" + "&".join(f"{k}={v}" for k, v in query(world).items())
        yield name, probe, url, "B's id in the query"


# The actors who pass A's own checks: the crossing is about what they reach through them.
CROSSING_ACTORS = ("member of A", "secretariat of A", "chair of A", "portal administrator")


def test_another_partnerships_ids_under_this_partnerships_address_are_not_found(world):
    """A's address with B's meeting, item, paper, minutes, decision, action, person, term,
    strategy version, section, priority, evidence or document: 404 for A's secretariat (and
    the administrator), refused for everyone else, never a 200."""
    report = Report()
    clients = _clients(world)
    scenarios = [s for s in SCENARIOS if s.name in CROSSING_ACTORS and s.target == "a"]
    crossings = list(_crossings(world))
    assert len(crossings) > 80  # the crossing really covers the URLconf
    detector = ChangeDetector()
    for scenario in scenarios:
        client = clients[scenario.user]
        signed_in = scenario.user is not None
        for name, probe, url, description in crossings:
            where = f"{name} with {description}: {url}"
            expected = allowed(probe, scenario.rights, signed_in, crossed=True)
            response, error = _request(report, client, "get", url)
            if problem := verdict(response, error, probe, expected):
                report.fail(f"GET {where}: {problem}", scenario.name)
            # Those who pass the partnership's check also try to change B's object through A.
            if probe.post is not None and OK in allowed(as_form(probe), scenario.rights, signed_in):
                expected = allowed(as_form(probe), scenario.rights, signed_in, crossed=True)
                response, error = _request(report, client, "post", url, probe.post)
                if problem := verdict(response, error, probe, expected):
                    report.fail(f"POST {where}: {problem}", scenario.name)
                changed = detector.changed()
                report.check(not changed, f"POST {where}: changed {changed}", scenario.name)
    report.assert_clean("crossed requests")


@pytest.mark.django_db
def test_django_admin_needs_a_staff_sign_in(client):
    """Every admin page that takes no arguments (the index, each model's list and add page):
    anonymous visitors and signed-in users who are not staff are sent to the admin's sign-in;
    a superuser gets the page. The admin's own URLs are not listed in TABLE."""
    from membership.factories import UserFactory

    lists = [reverse("admin:index")]
    lists += [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist") for m in admin.site._registry]
    adds = [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_add") for m in admin.site._registry]
    pages = lists + adds
    login = reverse("admin:login")
    failures = []
    for user in (None, UserFactory(username="not_staff")):
        if user is not None:
            client.force_login(user)
        for url in pages:
            response = client.get(url)
            if response.status_code != 302 or not response["Location"].startswith(login):
                failures.append(f"{url} as {user or 'anonymous'}: {response.status_code}")
    client.force_login(UserFactory(username="superuser", is_staff=True, is_superuser=True))
    for url in lists:
        if client.get(url).status_code != 200:
            failures.append(f"{url} as a superuser: not 200")
    assert len(pages) > 10
    assert not failures, "\n".join(failures)
