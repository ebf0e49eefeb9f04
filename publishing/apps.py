from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        # The PDFs follow the record's events, whatever announced them (publishing/receivers.py).
        from . import receivers

        receivers.connect()
