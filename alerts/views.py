"""Public pages for following by email (no account), confirming, unsubscribing, and the
help page for subscribing to calendars."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from core.limits import client_address
from partnerships.access import public_partnership_or_404
from partnerships.models import IntegratedCareSystem

from . import services
from .calendars import calendar_links
from .forms import FollowForm, FollowSearchForm
from .models import Subscription


def _follow(request, *, form_class, target: dict, followed: str, back: str | None = None, initial=None):
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        target = {**target, "query": form.cleaned_data.get("query", "")}
        services.subscription_request(
            email=form.cleaned_data["email"],
            frequency=form.cleaned_data["frequency"],
            client=client_address(request),
            **target,
        )
        # The same answer whatever happened: it never tells whether an address is known or limited.
        return redirect("alerts:check_email")
    return render(request, "alerts/follow.html", {"form": form, "followed": followed, "back": back})


@require_http_methods(["GET", "POST"])
def follow_partnership(request, slug):
    partnership = public_partnership_or_404(slug)
    return _follow(
        request,
        form_class=FollowForm,
        target={"partnership": partnership},
        followed=partnership.name,
        back=partnership.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def follow_system(request, slug):
    ics = get_object_or_404(IntegratedCareSystem, slug=slug)
    return _follow(
        request,
        form_class=FollowForm,
        target={"ics": ics},
        followed=f"the integrated care partnerships of {ics.name}",
        back=ics.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def follow_search(request):
    query = " ".join(request.GET.get("q", "").split())[:200]
    return _follow(
        request,
        form_class=FollowSearchForm,
        target={},
        followed="a search of everything published",
        initial={"query": query},
    )


def check_email(request):
    return render(request, "alerts/check_email.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button; only the POST confirms, so a mail scanner opening the link
    confirms nothing."""
    if request.method == "GET":
        return render(request, "alerts/confirm.html", {"token": token})
    try:
        subscription = services.subscription_confirm(token=token)
    except services.InvalidLink as problem:
        return render(request, "alerts/link_invalid.html", {"problem": str(problem)}, status=400)
    return render(request, "alerts/confirmed.html", {"subscription": subscription})


@csrf_exempt  # mail clients' one-click unsubscribe (RFC 8058) posts without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET shows a button; the POST (the button, or a mail client's one-click request)
    ends the subscription. The token in the link is the only credential needed."""
    subscription = Subscription.objects.select_related("partnership", "ics").filter(token=token).first()
    if subscription is None:
        raise Http404("No such subscription.")
    if request.method == "POST":
        services.subscription_end(subscription=subscription)
        return render(request, "alerts/unsubscribed.html", {"subscription": subscription})
    return render(request, "alerts/unsubscribe.html", {"subscription": subscription})


def calendars(request):
    """How to subscribe to a calendar in Outlook, Google and Apple: for the partnership or
    system asked for (?partnership= or ?system=), and for the whole of England."""
    chosen = None
    if slug := request.GET.get("partnership"):
        partnership = public_partnership_or_404(slug)
        chosen = calendar_links(partnership.name, reverse("meetings:calendar", kwargs={"slug": partnership.slug}))
    elif slug := request.GET.get("system"):
        ics = get_object_or_404(IntegratedCareSystem, slug=slug)
        chosen = calendar_links(
            f"The partnerships of {ics.name}", reverse("meetings:system_calendar", kwargs={"slug": ics.slug})
        )
    national = calendar_links("Every partnership in England", reverse("meetings:national_calendar"))
    return render(request, "alerts/calendars.html", {"chosen": chosen, "national": national})
