from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Alerts"

    def ready(self):
        # Published strategies join the meetings' publications that feeds and alerts carry.
        import strategy.publications  # noqa: F401

        from . import receivers

        receivers.connect()
