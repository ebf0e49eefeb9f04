"""Exit 0 if Celery beat sent its heartbeat recently, 1 if not: the beat container's health check."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from icp_portal.health import BEAT_SEEN_KEY, heartbeat_age


class Command(BaseCommand):
    help = "Exit with status 1 unless Celery beat sent its heartbeat within BEAT_STALE_AFTER_SECONDS."

    def handle(self, *args, **options):
        age = heartbeat_age(BEAT_SEEN_KEY)
        limit = settings.BEAT_STALE_AFTER_SECONDS
        if age is None:
            raise CommandError("Beat has sent no heartbeat (is it running, and can it reach Redis?).")
        if age > limit:
            raise CommandError(f"Beat's last heartbeat was {age:.0f} s ago (stale after {limit} s).")
        self.stdout.write(f"Beat is alive: last heartbeat {age:.0f} s ago.")
