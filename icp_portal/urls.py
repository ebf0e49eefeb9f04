from django.contrib import admin
from django.urls import include, path

from partnerships import views as partnership_views

from . import health

urlpatterns = [
    path("", partnership_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("workspace/", include("membership.workspace_urls")),
    path("", include("partnerships.urls")),
    path("", include("membership.urls")),
    path("", include("meetings.urls")),
    path("", include("meetings.record_urls")),
    path("", include("strategy.urls")),
    path("", include("publishing.urls")),
]

handler404 = "icp_portal.errors.page_not_found"
handler500 = "icp_portal.errors.server_error"
