from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self):
        from meetings import due
        from membership.due import tasks_due

        # The workspace's task list asks every app above it what is due (membership.due).
        tasks_due.connect(due.meeting_cycle_tasks, dispatch_uid="meetings.due")
