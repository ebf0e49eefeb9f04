from django.contrib import admin
from django.urls import include, path

from partnerships import views as partnership_views

from . import accounts, health

urlpatterns = [
    path("", partnership_views.home, name="home"),
    # Liveness at both addresses; readiness and the background report (icp_portal/health.py).
    path("healthz", health.live, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("healthz/deps", health.deps, name="healthz_deps"),
    # Ours before Django's: the same addresses and names, rate-limited and lifting the lock-out.
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
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
