from django.contrib import admin
from django.urls import include, path

from partnerships import views as partnership_views

from . import accounts, health, service_pages, two_factor

urlpatterns = [
    path("", partnership_views.home, name="home"),
    # Liveness at both addresses; readiness and the background report (icp_portal/health.py).
    path("healthz", health.live, name="healthz"),
    path("healthz/live", health.live, name="healthz_live"),
    path("healthz/ready", health.ready, name="healthz_ready"),
    path("healthz/deps", health.deps, name="healthz_deps"),
    # Service pages, linked from every footer (icp_portal/service_pages.py).
    path("accessibility/", service_pages.accessibility, name="accessibility"),
    path("privacy/", service_pages.privacy, name="privacy"),
    path("cookies/", service_pages.cookies, name="cookies"),
    path("contact/", service_pages.contact, name="contact"),
    path("status/", service_pages.status, name="service_status"),
    # Ours before Django's: the same addresses and names, rate-limited and lifting the lock-out.
    path("accounts/password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    # Sign-in asks for the second factor after the password (icp_portal.two_factor).
    path("accounts/login/", two_factor.LoginView.as_view(), name="login"),
    path("accounts/two-factor/", two_factor.manage, name="two_factor"),
    path("accounts/two-factor/code/", two_factor.verify, name="two_factor_verify"),
    path("accounts/two-factor/set-up/", two_factor.setup, name="two_factor_setup"),
    path("accounts/two-factor/recovery-codes/", two_factor.recovery_codes, name="two_factor_recovery_codes"),
    path("accounts/two-factor/turn-off/", two_factor.turn_off, name="two_factor_turn_off"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("workspace/", include("membership.workspace_urls")),
    path("", include("partnerships.urls")),
    path("", include("membership.urls")),
    path("", include("meetings.urls")),
    path("", include("meetings.record_urls")),
    path("", include("strategy.urls")),
    path("", include("publishing.urls")),
    path("", include("alerts.urls")),
    # The open-data API under /api/v1/ and the public CSV exports (docs/open-data.md).
    path("", include("api.urls")),
    # The national transparency scorecard, its methodology, CSV and JSON (docs/open-data.md).
    path("", include("transparency.urls")),
]

handler404 = "icp_portal.errors.page_not_found"
handler500 = "icp_portal.errors.server_error"
