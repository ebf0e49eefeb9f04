import uuid

import pytest


@pytest.fixture
def fresh_cache(settings):
    """Invitations are counted in the cache (Redis in full mode), which outlives a test's
    transaction: a key prefix of the test's own starts each test's counts from zero."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
