"""Exemptions over time: review dates, reminders, extensions and releases.

Part VA of the Local Government Act 1972 lets a meeting exclude the public for an item
that would disclose exempt information (s.100A(4), Schedule 12A); the papers are then
withheld (s.100B(2), s.100C). Information stays exempt only while it is exempt and, for
paragraphs 1–7, while the public interest in withholding it outweighs the interest in
disclosing it (Schedule 12A, paragraph 10): a contract signed, a restructure done, the
reason can lapse. So every exempt item and restricted paper carries a review date
(`REVIEW_AFTER_MONTHS` after its meeting by default), the secretariat is reminded as it
comes due, and a review either extends the exemption (a new date, with the reason) or
releases the material, on the authority of a decision of the partnership or an officer's
determination.

A release never erases the exemption: the item keeps its paragraph, reason and status, and
the public record says "Exempt under paragraph 3 until 12 May 2027; released". What the
public may read is still decided at read time, by `PaperQuerySet.public()` and
`AgendaItem.is_withheld`, from whether an `ExemptionRelease` exists.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Exists, F, Min, Q, Value
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from core import events
from core.dates import long_date
from core.urls import row_url
from membership.permissions import SECRETARIAT, users_holding
from partnerships.models import Partnership

from .models import AgendaItem, Decision, ExemptionExtension, ExemptionRelease, Meeting, Paper
from .models.agenda import released

logger = logging.getLogger(__name__)

REVIEW_AFTER_MONTHS = 12
# The secretariat is reminded this many days before a review date, to leave time to ask for
# a decision; the staff list shows an exemption as due from then, overdue after the date.
NOTICE_DAYS = 28
# However often an exemption is extended, it is looked at again at least this often.
LONGEST_EXTENSION_YEARS = 5
# Decisions that can allow a release: the committee agreed to it.
RELEASING_STATUSES = (Decision.Status.AGREED, Decision.Status.AGREED_WITH_AMENDMENTS)


def default_review_on(meeting: Meeting) -> dt.date:
    """The review date an exemption gets unless the secretariat chooses another."""
    from .services import add_months  # services imports this module

    return add_months(meeting.date, REVIEW_AFTER_MONTHS)


def review_date_problem(*, meeting: Meeting, review_on: dt.date | None, today: dt.date) -> str:
    """Why `review_on` cannot be an exemption's review date, or "" if it can."""
    if review_on is None:
        return "Enter the date by which the exemption must be reviewed."
    if review_on <= meeting.date:
        return f"The review date must be after the meeting ({long_date(meeting.date)})."
    if review_on <= today:
        return "The review date must be in the future. If the review is due now, release or extend the exemption."
    from .services import add_months

    latest = add_months(today, 12 * LONGEST_EXTENSION_YEARS)
    if review_on > latest:
        return (
            f"Review the exemption at least every {LONGEST_EXTENSION_YEARS} years: choose a date no later than "
            f"{long_date(latest)}."
        )
    return ""


# --- What is exempt, and what is due ------------------------------------------------------


@dataclass(frozen=True)
class Exemption:
    """One exemption as the secretariat sees it: an exempt item, or a restricted paper."""

    kind: str  # "item" or "paper"
    pk: int
    partnership_id: int
    meeting: Meeting
    item: AgendaItem
    paper: Paper | None
    review_on: dt.date | None
    release: ExemptionRelease | None

    @property
    def title(self) -> str:
        if self.paper is not None:
            return f"{self.paper.title} (paper for item {self.item.number})"
        return f"Item {self.item.number}: {self.item.title}"

    @property
    def paragraph(self) -> int | None:
        return self.item.exempt_paragraph if self.item.is_exempt else None

    @property
    def url(self) -> str:
        name = "meetings:staff_exemption_paper" if self.kind == "paper" else "meetings:staff_exemption_item"
        return row_url(name, self.meeting.partnership.slug, self.pk)

    def status(self, today: dt.date) -> str:
        """'released', 'overdue' (review date passed), 'due' (within NOTICE_DAYS) or 'under review'."""
        if self.release is not None:
            return "released"
        if self.review_on is not None and self.review_on < today:
            return "overdue"
        if self.review_on is None or self.review_on <= today + dt.timedelta(days=NOTICE_DAYS):
            return "due"
        return "under review"


STATUS_TAGS = {"released": "green", "overdue": "red", "due": "orange", "under review": "grey"}


def _exempt_items(partnerships):
    return AgendaItem.objects.filter(is_exempt=True, meeting__partnership__in=partnerships)


def _items(partnerships):
    """The exempt items' rows, as the staff pages show them."""
    return _exempt_items(partnerships).select_related("meeting__partnership", "exemption_release__decision")


def _unreleased(released_of: str, row: str = "pk") -> Exists:
    """The item or paper `row` names has no release (`released_of` is "agenda_item" or "paper").
    Asked as NOT EXISTS, not as `exemption_release__isnull=True`: PostgreSQL guesses that the
    outer join keeps a handful of rows, and so walks every item of the partnership's meetings
    to probe its papers instead of starting from the few restricted ones."""
    return ~released(released_of, row)


def _restricted_papers(partnerships):
    """Restricted papers that are exemptions of their own: a restricted paper of an exempt item
    is covered by the item's exemption as long as that lasts, and is one of its own once the
    item is not exempt, or released."""
    return Paper.objects.filter(
        Q(restricted=True) & ~(Q(agenda_item__is_exempt=True) & Q(_unreleased("agenda_item", row="agenda_item"))),
        agenda_item__meeting__partnership__in=partnerships,
    )


def _papers(partnerships):
    """The restricted papers' rows, as the staff pages show them."""
    return _restricted_papers(partnerships).select_related(
        "agenda_item__meeting__partnership", "agenda_item__exemption_release", "exemption_release__decision"
    )


def of_item(item: AgendaItem) -> Exemption:
    return Exemption(
        kind="item",
        pk=item.pk,
        partnership_id=item.meeting.partnership_id,
        meeting=item.meeting,
        item=item,
        paper=None,
        review_on=item.exemption_review_on,
        release=item.exemption_released,
    )


def of_paper(paper: Paper) -> Exemption:
    return Exemption(
        kind="paper",
        pk=paper.pk,
        partnership_id=paper.agenda_item.meeting.partnership_id,
        meeting=paper.agenda_item.meeting,
        item=paper.agenda_item,
        paper=paper,
        review_on=paper.exemption_review_on,
        release=paper.exemption_released,
    )


def exemptions_of(partnership: Partnership) -> list[Exemption]:
    """Every exemption of `partnership`, released ones included: those to review first (by
    review date), then the released. Two queries."""
    rows = [of_item(item) for item in _items([partnership])] + [of_paper(p) for p in _papers([partnership])]
    return sorted(rows, key=lambda row: (row.release is not None, row.review_on or dt.date.min, row.title))


def _review_pending(today: dt.date, released_of: str) -> Q:
    return Q(_unreleased(released_of)) & (
        Q(exemption_review_on__isnull=True) | Q(exemption_review_on__lte=today + dt.timedelta(days=NOTICE_DAYS))
    )


def due_for_review(partnerships, today: dt.date) -> list[Exemption]:
    """The exemptions of `partnerships` due for review (review date within NOTICE_DAYS) or
    overdue, soonest first, for staff pages and the workspace's task list. Two queries
    however many partnerships."""
    partnerships = list(partnerships)
    rows = [of_item(item) for item in _items(partnerships).filter(_review_pending(today, "agenda_item"))]
    rows += [of_paper(paper) for paper in _papers(partnerships).filter(_review_pending(today, "paper"))]
    return sorted(rows, key=lambda row: (row.review_on or dt.date.min, row.meeting.starts_at, row.title))


# --- Services -------------------------------------------------------------------------------


def _locked_target(*, item: AgendaItem | None, paper: Paper | None) -> tuple[AgendaItem | None, Paper | None]:
    if (item is None) == (paper is None):
        raise ValueError("Give an item or a paper.")
    if item is not None:
        item = AgendaItem.objects.select_for_update().select_related("meeting__partnership").get(pk=item.pk)
        item = AgendaItem.objects.select_related("meeting__partnership", "exemption_release").get(pk=item.pk)
        if not item.is_exempt:
            raise ValidationError("This item is not exempt.")
        return item, None
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    paper = Paper.objects.select_related(
        "agenda_item__meeting__partnership", "agenda_item__exemption_release", "exemption_release"
    ).get(pk=paper.pk)
    if not paper.restricted:
        raise ValidationError("This paper is not restricted.")
    return None, paper


def refuse_exemption_change(*, item: AgendaItem | None = None, paper: Paper | None = None, data: dict) -> None:
    """Called by the agenda services before they change an item or paper: once released, an
    exemption is part of the record and is never undone or rewritten."""
    item_changed = item is not None and (
        data.get("is_exempt") != item.is_exempt
        or data.get("exempt_paragraph") != item.exempt_paragraph
        or data.get("exempt_reason", item.exempt_reason) != item.exempt_reason
    )
    if item_changed and ExemptionRelease.objects.filter(agenda_item=item).exists():
        raise ValidationError(
            {"is_exempt": "This item's exemption has been released: its paragraph and status stay on the record."}
        )
    paper_changed = paper is not None and data.get("restricted") != paper.restricted
    if paper_changed and ExemptionRelease.objects.filter(paper=paper).exists():
        raise ValidationError(
            {"restricted": "This paper's restriction has been released: it stays on the record as released."}
        )


@transaction.atomic
def exemption_extend(
    *,
    actor,
    reason: str,
    review_on: dt.date | None,
    item: AgendaItem | None = None,
    paper: Paper | None = None,
    today: dt.date | None = None,
) -> ExemptionExtension:
    """Keep an exemption after a review (or set a new review date): the new date and why are
    recorded and audited. Refused for an exemption already released."""
    today = today or timezone.localdate()
    item, paper = _locked_target(item=item, paper=paper)
    target = item or paper
    meeting = item.meeting if item else paper.agenda_item.meeting
    if target.exemption_released is not None:
        raise ValidationError("This exemption has been released: there is nothing left to review.")
    errors = {}
    if problem := review_date_problem(meeting=meeting, review_on=review_on, today=today):
        errors["review_on"] = problem
    reason = reason.strip()
    if not reason:
        errors["reason"] = "Say why the information is still exempt; the reason is kept with the exemption."
    if errors:
        raise ValidationError(errors)
    previous = target.exemption_review_on
    extension = ExemptionExtension.objects.create(
        agenda_item=item,
        paper=paper,
        previous_review_on=previous,
        review_on=review_on,
        reason=reason,
        extended_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    target.exemption_review_on = review_on
    target.save(update_fields=["exemption_review_on"])
    audit_record(
        actor=actor,
        action="meetings.exemption.extended",
        obj=target,
        partnership=meeting.partnership,
        changes={"exemption_review_on": [previous, review_on], "reason": reason},
    )
    return extension


@transaction.atomic
def exemption_release(
    *,
    actor,
    reason: str,
    decision: Decision | None = None,
    determination: str = "",
    item: AgendaItem | None = None,
    paper: Paper | None = None,
) -> ExemptionRelease:
    """Release exempt material to the public: an exempt item (its papers become public) or a
    restricted paper. Needs the reason, and the authority: an agreed decision of the
    partnership or an officer's determination. The exemption stays on the record.

    Only material of a meeting held in public, with its agenda published, can be released: a
    private session is never published, and releasing one item of it would publish a meeting
    whose existence the public pages do not reveal."""
    item, paper = _locked_target(item=item, paper=paper)
    target = item or paper
    the_item = item or paper.agenda_item
    meeting = the_item.meeting
    partnership = meeting.partnership
    if target.exemption_released is not None:
        raise ValidationError("This exemption has already been released.")
    if not meeting.is_public:
        raise ValidationError(
            "This item is in a private session. A private session is never published, so its items cannot be "
            "released; extend the exemption instead."
        )
    if not meeting.agenda_is_published:
        raise ValidationError("The meeting's agenda has not been published yet: there is nothing public to release.")
    if paper is not None and paper.agenda_item.is_withheld:
        raise ValidationError(
            f"Item {the_item.number} is itself exempt: release the item first, or its papers stay withheld with it."
        )
    errors = {}
    reason = reason.strip()
    determination = determination.strip()
    if not reason:
        errors["reason"] = "Say why the information is no longer exempt."
    if decision is None and not determination:
        errors["determination"] = (
            "Choose the partnership's decision that allowed the release, or record the officer's determination."
        )
    if decision is not None:
        if decision.partnership_id != partnership.pk:
            errors["decision"] = "Choose a decision of this partnership."
        elif decision.status not in RELEASING_STATUSES:
            errors["decision"] = "Choose a decision the partnership agreed."
        elif decision.inquorate:
            errors["decision"] = "A decision recorded without a quorum cannot allow a release."
    if errors:
        raise ValidationError(errors)
    release = ExemptionRelease.objects.create(
        agenda_item=item,
        paper=paper,
        released_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        decision=decision,
        determination=determination,
    )
    audit_record(
        actor=actor,
        action="meetings.exemption.released",
        obj=target,
        partnership=partnership,
        changes={
            "exempt_paragraph": the_item.exempt_paragraph if the_item.is_exempt else None,
            "restricted": paper.restricted if paper is not None else None,
            "exemption_review_on": target.exemption_review_on,
            "reason": reason,
            "decision": decision.pk if decision else None,
            "decision_reference": decision.reference if decision else "",
            "determination": determination,
        },
    )
    events.announce(
        events.exemption_released,
        meeting_id=meeting.pk,
        item_id=item.pk if item is not None else None,
        paper_id=paper.pk if paper is not None else None,
        actor_id=events.actor_id(actor),
    )
    return release


# --- Reminders ------------------------------------------------------------------------------


SIGN_OFF = f"\n\n—\n{settings.PORTAL_NAME}. You are receiving this because you are on the partnership's secretariat."


def _claim(model, pk: int, review_on: dt.date | None) -> bool:
    """Mark one exemption as reminded for its review date; False if it already was (by this
    run or a concurrent one). The conditional update is the claim: of two runs, one wins."""
    not_yet = Q(exemption_reminded_for__isnull=True) | ~Q(exemption_reminded_for=F("exemption_review_on"))
    return bool(
        model.objects.filter(not_yet, pk=pk, exemption_review_on=review_on).update(exemption_reminded_for=review_on)
    )


# An email names at most this many; the rest are on the exemptions page it links to (the first
# run after the review dates were added finds every exemption older than a year overdue).
EMAIL_LISTS_AT_MOST = 50


def _reminder_body(partnership: Partnership, rows: list[Exemption], today: dt.date) -> str:
    lines = []
    for row in rows[:EMAIL_LISTS_AT_MOST]:
        when = long_date(row.review_on)
        state = "overdue since" if row.status(today) == "overdue" else "due by"
        paragraph = f", paragraph {row.paragraph}" if row.paragraph else ""
        link = settings.SITE_URL + row.url
        lines.append(f"- {row.title}, {row.meeting} (review {state} {when}{paragraph}):\n  {link}")
    if len(rows) > EMAIL_LISTS_AT_MOST:
        lines.append(f"- and {len(rows) - EMAIL_LISTS_AT_MOST} more, listed on the exemptions page below.")
    listing = settings.SITE_URL + reverse("meetings:staff_exemptions", kwargs={"slug": partnership.slug})
    return (
        f"These exemptions of {partnership} are due for review:\n\n" + "\n".join(lines) + "\n\n"
        "Exempt information may be withheld only while it remains exempt (Local Government Act 1972, "
        "Schedule 12A). For each, release it on the authority of a decision or an officer's determination, "
        f"or extend the exemption to a new review date with the reason.\n\nAll exemptions: {listing}"
    )


def reminders_send(*, today: dt.date | None = None) -> int:
    """Email each partnership's secretariat about its exemptions due for review that it has
    not been reminded of for their current review date. Returns how many exemptions were
    included. Run daily by beat; running it again sends nothing new, and a new review date
    (an extension) gets a reminder of its own when it comes due."""
    today = today or timezone.localdate()
    due = [
        row
        for row in due_for_review(Partnership.objects.all(), today)
        if row.review_on is not None and (row.paper or row.item).exemption_reminded_for != row.review_on
    ]
    by_partnership: dict[int, list[Exemption]] = {}
    for row in due:
        by_partnership.setdefault(row.partnership_id, []).append(row)
    User = get_user_model()
    included = 0
    for rows in by_partnership.values():
        partnership = rows[0].meeting.partnership
        # Claimed and sent together: a failure to send rolls the claim back for the next run.
        with transaction.atomic():
            claimed = [
                row for row in rows if _claim(Paper if row.kind == "paper" else AgendaItem, row.pk, row.review_on)
            ]
            if not claimed:
                continue
            users = User.objects.filter(pk__in=users_holding(partnership, SECRETARIAT), is_active=True)
            addresses = sorted(set(users.exclude(email="").values_list("email", flat=True)))
            subject = f"Exemptions due for review: {partnership}"
            body = _reminder_body(partnership, claimed, today) + SIGN_OFF
            messages = [EmailMessage(subject, body, None, [address]) for address in addresses]
            if messages:
                get_connection().send_messages(messages)
            else:
                logger.warning("No secretariat address for %s: its exemptions due for review go unmailed", partnership)
            included += len(claimed)
    return included


# --- The workspace's task list ------------------------------------------------------------------


def review_figures(partnerships, today: dt.date) -> list:
    """Per partnership, what its task list says of its exemptions due for review (a review date
    within NOTICE_DAYS or passed, or none): the items' figures and the papers' (a partnership
    may have a row of each), as `values` rows of `partnership_id`, `kind` ("exemptions"), `count`,
    `dated`, `earliest` and `overdue`. Counted by the database (a partnership with years of
    exempt items need not load them), in querysets for the workspace's one query of figures
    (`meetings.due`) to join."""
    figures = {
        "kind": Value("exemptions"),
        "count": Count("pk"),
        # COUNT of a column leaves out its nulls: the exemptions without a review date are the rest.
        "dated": Count("exemption_review_on"),
        "earliest": Min("exemption_review_on"),
        "overdue": Count("pk", filter=Q(exemption_review_on__lt=today)),
    }
    items = _exempt_items(partnerships).filter(_review_pending(today, "agenda_item"))
    papers = _restricted_papers(partnerships).filter(_review_pending(today, "paper"))
    return [
        items.order_by().values(partnership_id=F("meeting__partnership_id")).annotate(**figures),
        papers.order_by().values(partnership_id=F("agenda_item__meeting__partnership_id")).annotate(**figures),
    ]


def review_tasks(rows, partnerships, today: dt.date) -> list:
    """One task per partnership with exemptions due or overdue for review, from the rows of
    `review_figures`."""
    from membership.due import DUE, OVERDUE, DueTask

    counted: dict[int, dict] = {}
    for row in rows:
        total = counted.setdefault(row["partnership_id"], {"count": 0, "dated": 0, "overdue": 0})
        for name in ("count", "dated", "overdue"):
            total[name] += row[name]
        dates = [day for day in (total.get("earliest"), row["earliest"]) if day is not None]
        total["earliest"] = min(dates) if dates else None
    slugs = {partnership.pk: partnership.slug for partnership in partnerships}
    tasks = []
    for partnership_id, total in counted.items():
        # An exemption without a review date is due now (`Exemption.status`).
        earliest = today if total["dated"] < total["count"] else total["earliest"]
        count = f"{total['count']} exemption{'s' if total['count'] != 1 else ''}"
        if total["overdue"]:
            # The earliest review date is an overdue one whenever any is overdue.
            hint = f"{count} to review; {total['overdue']} overdue since {long_date(total['earliest'])}."
        else:
            hint = f"{count} to review by {long_date(earliest)}: release each or extend it with the reason."
        tasks.append(
            DueTask(
                partnership_id=partnership_id,
                name="Review exemptions",
                url=row_url("meetings:staff_exemptions", slugs[partnership_id]),
                hint=hint,
                status=OVERDUE if total["overdue"] else DUE,
                order=earliest,
            )
        )
    return tasks
