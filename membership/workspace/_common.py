"""What the workspace's pages share: breadcrumbs, addresses, pages of a list, loading a person
through the partnership, and the pages that choose a person or end a term."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from core.dates import long_date
from core.views import handle_form, posted

from ..person_chooser import person_chooser
from ..selectors import partnership_people, system_people

PAGE_SIZE = 50


def _crumbs(partnership=None, *more):
    crumbs = [("Your partnerships", reverse("workspace:home"))]
    if partnership is not None:
        crumbs.append((partnership.name, reverse("workspace:dashboard", args=[partnership.slug])))
    return crumbs + list(more)


def _uploaded(request):
    return request.FILES if request.method == "POST" else None


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _dashboard(partnership):
    return redirect("workspace:dashboard", slug=partnership.slug)


def _person(partnership, person_slug):
    return get_object_or_404(partnership_people(partnership).select_related("user"), slug=person_slug)


def _person_url(partnership, person) -> str:
    return reverse("workspace:person", args=[partnership.slug, person.slug])


def _person_crumbs(partnership, person):
    return _crumbs(partnership, (str(person), _person_url(partnership, person)))


def _person_chosen(request, partnership, **initial) -> dict:
    """A form's `initial`, with the person named by `?person=` (the link from their page) chosen
    if they are one the chooser offers."""
    chosen = request.GET.get("person")
    if chosen:
        initial["person"] = system_people(partnership).filter(slug=chosen).values_list("pk", flat=True).first()
    return initial


def _chooser_page(request, partnership, form, *, on_valid, success, template: str, **context):
    """A form that gives a person a role (a seat, a chair): the page offers the person chooser, and
    the secretariat goes back to the dashboard once it is done."""
    return handle_form(
        request,
        form,
        on_valid=on_valid,
        success=success,
        redirect_to=_dashboard(partnership),
        template=template,
        context=lambda: {
            "partnership": partnership,
            "chooser": person_chooser(request, partnership, form),
            **context,
            "crumbs": _crumbs(partnership),
        },
    )


def _end_term_page(
    request, partnership, term, form_class, *, already_ended: str, end, ends, title: str, explanation: str, button: str
):
    """The page that ends a seat, a chair's term or a secretariat assignment: `end(**data)` ends
    it, `ends(end_date)` says so. One that has already ended is not offered again: the dashboard
    says `already_ended` with its date instead."""
    today = timezone.localdate()
    if term.end_date and term.end_date < today:
        messages.info(request, f"{already_ended} {long_date(term.end_date)}.")
        return _dashboard(partnership)
    form = form_class(posted(request), initial={"end_date": today})
    return handle_form(
        request,
        form,
        on_valid=lambda: end(**form.cleaned_data),
        success=lambda _: ends(form.cleaned_data["end_date"]),
        redirect_to=_dashboard(partnership),
        template="membership/workspace/end_term.html",
        context={
            "partnership": partnership,
            "term": term,
            "title": title,
            "explanation": explanation,
            "button": button,
            "crumbs": _crumbs(partnership),
        },
    )


def _not_ended(queryset):
    """Terms (or interests) that are current or still to come: the ones that can be ended."""
    return queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
