"""After publication the agenda is on the record: new items go before "Any other business",
every change needs a reason and is published as a supplementary agenda, items are withdrawn,
never deleted, and the agenda pack prints the supplement too."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings import services
from meetings.factories import MeetingFactory, minimal_pdf
from meetings.models import AgendaChange, AgendaItem
from publishing import renderers

from .conftest import in_days, pdf_file

pytestmark = pytest.mark.django_db


def _add(meeting, title, **kwargs):
    return services.agenda_item_add(meeting=meeting, actor=None, title=title, **kwargs)


def _titles(meeting):
    return list(meeting.agenda_items.order_by("position").values_list("title", flat=True))


@pytest.fixture
def published(meeting):
    """The `meeting` with standard items, a strategy item with a paper, published on time."""
    services.agenda_add_standard_items(meeting=meeting, actor=None)
    strategy = _add(meeting, "Strategy refresh")
    services.paper_upload(item=strategy, actor=None, title="Draft strategy", file=pdf_file())
    services.agenda_publish(meeting=meeting, actor=None)
    meeting.refresh_from_db()
    return meeting


# Any other business stays last ------------------------------------------------------------


def test_new_items_land_before_any_other_business(meeting):
    services.agenda_add_standard_items(meeting=meeting, actor=None)
    _add(meeting, "Strategy refresh")
    _add(meeting, "Healthwatch report")
    assert _titles(meeting)[-3:] == ["Strategy refresh", "Healthwatch report", "Any other business"]
    assert list(meeting.agenda_items.order_by("position").values_list("position", flat=True)) == [1, 2, 3, 4, 5, 6, 7]


def test_a_late_item_lands_before_any_other_business_too(published):
    late = _add(published, "Winter pressures", urgency_reason="The winter plan is due before the next meeting.")
    assert _titles(published)[-2:] == ["Winter pressures", "Any other business"]
    assert late.number == 6 and late.is_late


def test_any_other_business_moved_on_purpose_stays_where_it_was_put(meeting):
    services.agenda_add_standard_items(meeting=meeting, actor=None)
    aob = meeting.agenda_items.get(standard=AgendaItem.Standard.AOB)
    services.agenda_item_move(item=aob, actor=None, direction="up")
    _add(meeting, "Strategy refresh")
    assert _titles(meeting)[-3:] == ["Any other business", "Action log", "Strategy refresh"]


# Every change after publication has a reason --------------------------------------------------


def test_changes_after_publication_need_a_reason(published):
    item = published.agenda_items.get(title="Strategy refresh")
    paper = item.papers.get()
    with pytest.raises(ValidationError) as error:
        services.agenda_item_update(item=item, actor=None, title="Strategy refresh 2026", purpose="decision")
    assert "change_reason" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.paper_upload(item=item, actor=None, title="Annex", file=pdf_file("annex.pdf", minimal_pdf("Annex")))
    assert "change_reason" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.paper_update(paper=paper, actor=None, title=paper.title, restricted=True)
    assert "change_reason" in error.value.error_dict
    assert not AgendaChange.objects.exists()
    assert item.papers.count() == 1


def test_silent_reordering_after_publication_is_refused(published):
    item = published.agenda_items.get(title="Strategy refresh")
    before = _titles(published)
    with pytest.raises(ValidationError) as error:
        services.agenda_item_move(item=item, actor=None, direction="up")
    assert "change_reason" in error.value.error_dict
    order = list(published.agenda_items.order_by("-position").values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        services.agenda_items_reorder(meeting=published, actor=None, order=order)
    assert _titles(published) == before

    services.agenda_item_move(item=item, actor=None, direction="up", change_reason="The presenter must leave early.")
    assert _titles(published).index("Strategy refresh") == before.index("Strategy refresh") - 1
    change = AgendaChange.objects.get()
    assert (change.kind, change.agenda_item, change.reason) == ("item_moved", item, "The presenter must leave early.")


def test_deletion_is_refused_once_published_and_an_item_is_withdrawn_instead(published, client):
    item = published.agenda_items.get(title="Strategy refresh")
    with pytest.raises(ValidationError, match="Withdraw the item instead"):
        services.agenda_item_remove(item=item, actor=None)
    with pytest.raises(ValidationError):
        services.agenda_item_withdraw(item=item, actor=None, reason="  ")
    services.agenda_item_withdraw(item=item, actor=None, reason="the ICB has not yet agreed its plan")
    item.refresh_from_db()
    assert item.is_withdrawn and item.number == 5 and item.papers.count() == 1
    with pytest.raises(ValidationError, match="withdrawn"):
        services.agenda_item_update(
            item=item, actor=None, title="Strategy", purpose="decision", change_reason="Renamed"
        )
    with pytest.raises(ValidationError, match="withdrawn"):
        services.agenda_item_withdraw(item=item, actor=None, reason="Again")

    page = client.get(published.get_absolute_url()).content.decode()
    assert "Strategy refresh</s>" in page and "Withdrawn: the ICB has not yet agreed its plan" in page


def test_an_unpublished_item_is_removed_not_withdrawn(meeting):
    item = _add(meeting, "Strategy refresh")
    with pytest.raises(ValidationError, match="remove the item instead"):
        services.agenda_item_withdraw(item=item, actor=None, reason="Not ready")


# The supplementary agenda on the public page and in the pack ----------------------------------


def test_each_change_set_is_a_public_notice_with_its_date_and_reason(published, client):
    item = published.agenda_items.get(title="Strategy refresh")
    reason = "the finance figures were corrected"
    services.agenda_item_update(
        item=item, actor=None, title="Strategy refresh", purpose="decision", change_reason=reason
    )
    services.paper_replace(
        paper=item.papers.get(), actor=None, file=pdf_file("v2.pdf", minimal_pdf("v2")), reason=reason
    )
    services.paper_upload(
        item=item,
        actor=None,
        title="Finance annex",
        file=pdf_file("annex.pdf", minimal_pdf("Annex")),
        change_reason=reason,
    )
    _add(published, "Winter pressures", urgency_reason="the winter plan is due before the next meeting")

    page = client.get(published.get_absolute_url()).content.decode()
    today = timezone.localdate()
    assert page.count("portal-supplement") == 2
    assert f"<strong>Changed on {today:%-d %B %Y}</strong> because the finance figures were corrected" in page
    assert f"<strong>Changed on {today:%-d %B %Y}</strong> because the winter plan is due" in page
    assert "Item 5 changed: Strategy refresh" in page
    assert "New version of a paper for item 5: Draft strategy" in page
    # The change sets in the order they began, and each one's changes in the order they were made.
    assert page.index("because the finance figures were corrected") < page.index("because the winter plan is due")
    assert page.index("Item 5 changed: Strategy refresh") < page.index("New version of a paper for item 5")
    assert "Paper added to item 5: Finance annex" in page
    assert "Item 6 added as a late item: Winter pressures" in page


def test_a_notice_never_names_a_paper_the_public_may_not_read(published, client, cast):
    item = published.agenda_items.get(title="Strategy refresh")
    paper = item.papers.get()
    services.paper_update(
        paper=paper, actor=None, title=paper.title, restricted=True, change_reason="it names individual patients"
    )
    page = client.get(published.get_absolute_url()).content.decode()
    assert "because it names individual patients" in page
    assert "A paper for item 5 withdrawn from publication" in page
    assert "Draft strategy" not in page
    client.force_login(cast.member)
    page = client.get(published.get_absolute_url()).content.decode()
    assert "Paper for item 5 withheld from the public: Draft strategy" in page


def test_before_publication_nothing_goes_on_a_supplement(meeting):
    item = _add(meeting, "Strategy refresh")
    services.agenda_item_update(item=item, actor=None, title="Strategy", purpose="decision")
    services.agenda_item_move(item=_add(meeting, "Report"), actor=None, direction="up")
    assert not AgendaChange.objects.exists()


def test_the_pack_prints_the_supplement_and_its_fingerprint_covers_it(published):
    before = renderers.agenda_fingerprint(published, include_exempt=False)
    item = published.agenda_items.get(title="Strategy refresh")
    services.agenda_item_withdraw(item=item, actor=None, reason="the ICB has not yet agreed its plan")
    after = renderers.agenda_fingerprint(published, include_exempt=False)
    assert after != before
    # A change of reason alone (nothing else printed differs) still changes the fingerprint.
    AgendaChange.objects.update(reason="another reason")
    assert renderers.agenda_fingerprint(published, include_exempt=False) != after

    data, fingerprint = renderers.render_agenda_pack(published, include_exempt=False)
    assert fingerprint == renderers.agenda_fingerprint(published, include_exempt=False)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)
    assert "Supplementary agenda" in text and "because another reason" in text
    assert "Item 5 withdrawn: Strategy refresh" in text
    assert "Withdrawn: the ICB has not yet agreed its plan" in text


# The staff pages -------------------------------------------------------------------------------


def test_staff_pages_ask_for_the_reason_once_published(client, cast, published):
    client.force_login(cast.secretariat)
    slug, pk = cast.partnership.slug, published.pk
    item = published.agenda_items.get(title="Strategy refresh")
    edit = reverse("meetings:staff_item_edit", args=[slug, pk, item.pk])
    response = client.post(edit, {"title": "Strategy refresh 2026", "purpose": "decision"})
    assert "Say why the agenda is changing" in response.content.decode()
    response = client.post(
        edit, {"title": "Strategy refresh 2026", "purpose": "decision", "change_reason": "The year was missing."}
    )
    assert response.status_code == 302

    move = reverse("meetings:staff_item_move", args=[slug, pk, item.pk])
    response = client.post(move, {"direction": "up"})
    assert response.status_code == 200 and "Say why the agenda is changing" in response.content.decode()
    response = client.post(move, {"direction": "up", "change_reason": "The presenter must leave early."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.number == 4

    withdraw = reverse("meetings:staff_item_withdraw", args=[slug, pk, item.pk])
    assert "Withdraw item 4" in client.get(withdraw).content.decode()
    response = client.post(withdraw, {"reason": ""})
    assert "Say why the item is withdrawn" in response.content.decode()
    response = client.post(withdraw, {"reason": "The plan is not ready."}, follow=True)
    content = response.content.decode()
    assert "withdrawn: Strategy refresh 2026" in content and "Changed on" in content
    assert AgendaItem.objects.filter(pk=item.pk, withdrawn_at__isnull=False).exists()


def test_only_the_secretariat_may_withdraw(client, cast, published):
    item = published.agenda_items.get(title="Strategy refresh")
    url = reverse("meetings:staff_item_withdraw", args=[cast.partnership.slug, published.pk, item.pk])
    client.force_login(cast.member)
    assert client.post(url, {"reason": "No"}).status_code == 403
    client.force_login(cast.other_member)
    assert client.post(url, {"reason": "No"}).status_code in (403, 404)
    other = MeetingFactory(partnership=cast.other_partnership, starts_at=in_days(30))
    client.force_login(cast.secretariat)
    url = reverse("meetings:staff_item_withdraw", args=[cast.partnership.slug, other.pk, item.pk])
    assert client.post(url, {"reason": "No"}).status_code == 404
    assert not AgendaItem.objects.filter(withdrawn_at__isnull=False).exists()
