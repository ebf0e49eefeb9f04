"""What a response cost the server, in a `Server-Timing` header (W3C Server Timing), when
`SERVER_TIMING` is on: wall time, the worker's CPU time, and the time and number of database
queries. Off by default; the page benchmark (bench/pages.py) turns it on, because a request's CPU
time leaves out waiting for the database and other processes on a shared machine. Browsers'
developer tools show it too.

Second in the middleware stack (after the container's health check), so it measures every other
middleware, the page cache included, and adds its header after the page cache has stored or read
a copy: a stored page never carries the timing of the request that made it.
"""

import contextlib
import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections


class ServerTimingMiddleware:
    def __init__(self, get_response):
        if not settings.SERVER_TIMING:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        queries = _QueryClock()
        wall, cpu = time.perf_counter(), time.process_time()
        with contextlib.ExitStack() as watching:
            for connection in connections.all():
                watching.enter_context(connection.execute_wrapper(queries))
            response = self.get_response(request)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        response["Server-Timing"] = ", ".join(
            (
                f"app;dur={wall * 1000:.1f}",
                f"cpu;dur={cpu * 1000:.1f}",
                f'db;dur={queries.seconds * 1000:.1f};desc="{queries.count} queries"',
            )
        )
        return response


class _QueryClock:
    """An execute wrapper that counts queries and adds up their time."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started
