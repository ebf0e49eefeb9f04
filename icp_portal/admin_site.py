"""Django admin, for portal administrators who have given their second factor.

`icp_portal.admin_apps.PortalAdminConfig` replaces "django.contrib.admin" in INSTALLED_APPS and
makes `PortalAdminSite` the default site, so every `admin.site.register` (ours and django-otp's) lands on it. The site
lets in only verified sessions, as django-otp's `OTPAdminSite` does, but keeps the portal's own
sign-in pages: an unverified administrator is sent to give their code there, not shown the admin's
password form again. (`SecondFactorMiddleware` sends them there before the admin is reached; this
holds even without it.)
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse


class PortalAdminSite(admin.AdminSite):
    site_header = "ICP Portal administration"
    site_title = "ICP Portal administration"

    def has_permission(self, request):
        """Staff and active, as Django requires, and verified by a second factor."""
        is_verified = getattr(request.user, "is_verified", None)
        return super().has_permission(request) and callable(is_verified) and is_verified()

    def login(self, request, extra_context=None):
        user = request.user
        if request.method == "GET" and user.is_active and user.is_staff and not self.has_permission(request):
            # Signed in with a password, still to give the second factor: the portal asks for it.
            from .two_factor import second_factor_url

            return redirect_to_login(request.GET.get("next") or reverse("admin:index"), second_factor_url(user))
        return super().login(request, extra_context)
