"""URLs for the page benchmark only (settings use them when BENCH_FLOOR=1): the portal's
own URLs plus /bench/floor, a trivial view on the same stack (middleware, sessions, CSP),
which is the floor every page is compared with, and /bench/floor/signed-in, the same view asking
who the reader is: with a staff session, what being signed in costs any staff page (the session,
the account and its second factor, each read from the database)."""

from django.http import HttpResponse
from django.urls import path

from icp_portal.urls import handler404, handler500
from icp_portal.urls import urlpatterns as portal_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


def floor_signed_in(request):
    response = HttpResponse("ok" if request.user.is_authenticated else "anonymous", content_type="text/plain")
    response["Cache-Control"] = "private"
    return response


urlpatterns = [
    path("bench/floor", floor, name="bench_floor"),
    path("bench/floor/signed-in", floor_signed_in, name="bench_floor_signed_in"),
    *portal_urlpatterns,
]
