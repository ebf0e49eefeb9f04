from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "icp_portal"
    verbose_name = "ICP Portal"
