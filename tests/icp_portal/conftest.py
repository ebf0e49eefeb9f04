import uuid

import pytest


@pytest.fixture
def fresh_cache(settings):
    """Counters kept in the cache (Redis in full mode) outlive a test's transaction, and would
    carry one test's password resets into the next, or into the next run. A key prefix of the
    test's own starts it from zero without flushing a Redis database Celery may share."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
