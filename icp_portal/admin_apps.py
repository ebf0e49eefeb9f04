"""Django admin's app, with the portal's site as the default (see icp_portal.admin_site).

Kept apart from the site: an app's configuration is imported before models can be."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "icp_portal.admin_site.PortalAdminSite"
