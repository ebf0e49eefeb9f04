from django.apps import AppConfig


class TransparencyConfig(AppConfig):
    name = "transparency"
    verbose_name = "Transparency scorecard"

    def ready(self):
        from . import receivers

        receivers.connect()
