from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = "Integrated care strategy"

    def ready(self):
        from membership.due import tasks_due
        from strategy import due

        # The workspace's task list asks every app above it what is due (membership.due).
        tasks_due.connect(due.strategy_tasks, dispatch_uid="strategy.due")
