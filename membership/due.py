"""What is due: the tasks of the meeting cycle that the secretariat's workspace leads with.

The workspace belongs to this app, but most of what falls due belongs to apps above it
(meetings, strategy). So this module only defines the shape of a task and asks: apps above
connect a receiver to `tasks_due` in their `AppConfig.ready()` and answer for their own
records, as pretix's dashboard widgets do. Nothing here imports them.

A receiver is called with `partnerships` (a list, possibly of several: a secretariat may run
more than one) and `today`, and returns a list of `DueTask`. It must use a fixed number of
queries whatever the number of partnerships, meetings or records: the workspace home sends
the signal once for all the partnerships a secretariat runs.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.dispatch import Signal

tasks_due = Signal()


# Status tags of the NHS.UK task list: the word and its colour.
LATE = ("Late", "red")
OVERDUE = ("Overdue", "red")
DUE = ("Due", "blue")
WAITING = ("Waiting", "yellow")
TO_DO = ("To do", "grey")


@dataclass(frozen=True)
class DueTask:
    """One line of the task list: a link to where the work is done, a hint saying why it is
    due, and a status tag. `order` sorts the list: the soonest deadline first."""

    partnership_id: int
    name: str
    url: str
    hint: str
    status: tuple[str, str]
    order: dt.date

    @property
    def status_label(self) -> str:
        return self.status[0]

    @property
    def status_colour(self) -> str:
        return self.status[1]

    @property
    def is_late(self) -> bool:
        return self.status in {LATE, OVERDUE}


def due_tasks(partnerships, today: dt.date) -> dict[int, list[DueTask]]:
    """Every app's due tasks for `partnerships`, keyed by partnership id: late and overdue
    work first, then by date."""
    partnerships = list(partnerships)
    by_partnership: dict[int, list[DueTask]] = defaultdict(list)
    if not partnerships:
        return by_partnership
    for _receiver, tasks in tasks_due.send(sender=None, partnerships=partnerships, today=today):
        for task in tasks or ():
            by_partnership[task.partnership_id].append(task)
    for tasks in by_partnership.values():
        tasks.sort(key=lambda task: (not task.is_late, task.order, task.name))
    return by_partnership
