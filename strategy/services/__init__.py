"""Writes to the integrated care strategy, by noun: versions, sections, priorities (and their measures),
engagement, evidence, approval, publication and delivery (`_common` holds their shared helpers).

Every service runs in one transaction, locks the version it changes (so a chair's approval
and a secretariat edit cannot interleave), validates, writes one audit entry per step and
enqueues any email on commit. Refusals are `ValidationError`s with a message the person can
act on; views show them on the form or as a message.

The rules, in one place:

- Approved, published and superseded versions are never changed. "Edit" means starting a
  new draft, copied from the latest version (sections, priorities with their measures,
  places, councils and evidence citations; engagement belongs to the version it shaped and
  is not copied).
- A change to a submitted version (or one with changes requested) returns it to **draft**:
  the chairs' decisions so far are voided (kept, with the date) and the secretariat submits
  it again, which tells the chairs again. Whoever makes such a change is recorded, and a
  chair who changed a version after it was first submitted may not approve it.
- A version is approved when every current chair and co-chair of the partnership (their
  `ChairAppointment` covers today), apart from those who changed it after submission, has
  approved it. One without a sign-in account is not skipped: they block approval, and every
  page and message says who and what to do. One request for changes sends it back.
- Publishing needs the approved version and the partnership's own decision that adopted it:
  agreed, on the public record, taken on or after the day of approval, and adopting no other
  version (`StrategyVersion.adoption_problem`). The version it replaces becomes superseded, and
  the strategy is no longer due for review.
- Recording a JSNA for a council in the area, dated after every JSNA already recorded for
  that council, marks a published strategy as due for review and tells the secretariat.
"""
