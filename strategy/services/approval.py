"""Submission of a version to the chairs and their approval."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from membership.permissions import APPROVE_STRATEGY, user_can

from ..models import Approval, StrategyVersion
from ..selectors import ApprovalState, Approver, approval_state, submission_problems
from ..tasks import notify_chairs_of_submission, notify_secretariat_of_decision
from ._common import Status, _audit, _enqueue, _lock, _partnership, _user

# Submission and approval.


@transaction.atomic
def version_submit(*, version: StrategyVersion, actor) -> ApprovalState:
    """Put a draft to the chairs and co-chairs for approval, and email them. Each submission
    starts a new round: decisions from an earlier round are voided."""
    _lock(version)
    if version.status not in {Status.DRAFT, Status.CHANGES_REQUESTED}:
        raise ValidationError(f"{version.label} is {version.get_status_display().lower()}: it cannot be submitted.")
    problems = submission_problems(version)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    version.approvals.filter(voided_at__isnull=True).update(voided_at=now)
    version.status = Status.SUBMITTED
    version.submitted_at, version.submitted_by = now, _user(actor)
    version.first_submitted_at = version.first_submitted_at or now
    version.save(update_fields=["status", "submitted_at", "submitted_by", "first_submitted_at"])
    state = approval_state(version)
    _audit(
        actor,
        "strategy.version.submitted",
        version,
        version.strategy,
        {
            "number": version.number,
            "approvers": _labels(state.required),
            "cannot_approve_yet": state.blockers,
        },
    )
    _enqueue(notify_chairs_of_submission, version.pk)
    return state


@transaction.atomic
def approval_record(*, version: StrategyVersion, actor, decision: str, comment: str = "") -> Approval:
    """Record a chair's or co-chair's approval or request for changes. The version is
    approved once everyone whose approval is needed has given it; a request for changes
    sends it back to the secretariat at once."""
    _lock(version)
    partnership = _partnership(version)
    if version.status != Status.SUBMITTED:
        raise ValidationError(
            f"{version.label} is not waiting for approval: it is {version.get_status_display().lower()}."
        )
    approver = approval_state(version).approver_for(actor)
    if approver is None or not user_can(actor, APPROVE_STRATEGY, partnership):
        raise ValidationError(f"Only a current chair or co-chair of {partnership} can approve its strategy.")
    if version.edited_after_submission_by.filter(pk=actor.pk).exists():
        raise ValidationError(
            "You changed this version after it was submitted, so you cannot approve it: "
            "the other chairs and co-chairs decide on it."
        )
    comment = comment.strip()
    if decision not in Approval.Verdict.values:
        raise ValidationError({"decision": "Choose whether you approve the version or ask for changes."})
    if decision == Approval.Verdict.CHANGES_REQUESTED and not comment:
        raise ValidationError({"comment": "Say what needs to change."})
    now = timezone.now()
    # A chair who changes their mind in the same round replaces their earlier decision.
    version.approvals.filter(Q(person=approver.person) | Q(user=actor), voided_at__isnull=True).update(voided_at=now)
    approval = Approval.objects.create(
        version=version, person=approver.person, user=actor, decision=decision, comment=comment, decided_at=now
    )
    _audit(
        actor,
        "strategy.approval.approved"
        if decision == Approval.Verdict.APPROVED
        else "strategy.approval.changes_requested",
        version,
        version.strategy,
        {"number": version.number, "approver": approver.listed, "comment": comment},
    )
    if decision == Approval.Verdict.CHANGES_REQUESTED:
        version.status = Status.CHANGES_REQUESTED
        version.save(update_fields=["status"])
        _audit(actor, "strategy.version.changes_requested", version, version.strategy, {"comment": comment})
        _enqueue(notify_secretariat_of_decision, version.pk)
    else:
        _settle(version, actor)
    return approval


def _labels(approvers: list[Approver]) -> list[str]:
    return [approver.listed for approver in approvers]


def _settle(version: StrategyVersion, actor) -> ApprovalState:
    """Approve `version` if every current chair and co-chair whose approval is needed has given
    it. Returns the state, which says who is still waiting and who cannot approve yet."""
    state = approval_state(version)
    if not state.complete:
        return state
    version.status, version.approved_at = Status.APPROVED, timezone.now()
    version.save(update_fields=["status", "approved_at"])
    _audit(
        actor,
        "strategy.version.approved",
        version,
        version.strategy,
        {"number": version.number, "approved_by": _labels(state.approved)},
    )
    _enqueue(notify_secretariat_of_decision, version.pk)
    return state


@transaction.atomic
def version_approval_settle(*, version: StrategyVersion, actor) -> bool:
    """Mark a submitted version approved if everyone whose approval is now needed has given
    it: for when a chair's term ends while the other chairs have already approved. Refused,
    naming them, while anyone is waiting, above all a chair or co-chair with no sign-in account."""
    _lock(version)
    if version.status != Status.SUBMITTED:
        raise ValidationError(f"{version.label} is not waiting for approval.")
    state = _settle(version, actor)
    if not state.complete:
        raise ValidationError(approval_waiting_message(state))
    return True


def approval_waiting_message(state: ApprovalState) -> str:
    """Why a submitted version is not approved yet: who cannot approve and what to do, then who
    has not decided."""
    if not state.required:
        return "No current chair or co-chair can approve this version: the partnership has none on record."
    parts = list(state.blockers)
    able = [approver for approver in state.waiting if approver.user is not None]
    if able:
        parts.append(f"Waiting for {and_list(_labels(able))} to approve it.")
    return " ".join(parts) or "It waits for the chairs' and co-chairs' decisions."


def and_list(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
