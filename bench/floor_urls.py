"""URLs for the page benchmark only (settings use them when BENCH_FLOOR=1): the portal's
own URLs plus /bench/floor, a trivial view on the same stack (middleware, sessions, CSP),
which is the floor every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from icp_portal.urls import handler404, handler500
from icp_portal.urls import urlpatterns as portal_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor", floor, name="bench_floor"), *portal_urlpatterns]
