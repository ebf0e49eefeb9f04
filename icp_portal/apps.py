from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "icp_portal"
    verbose_name = "ICP Portal"

    def ready(self):
        # Every process replaces the public page cache's version when it commits a write to a
        # public table (icp_portal/pagecache.py): web, worker, beat and management commands alike.
        from . import pagecache

        pagecache.install()
