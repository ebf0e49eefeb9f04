"""The embedded mode's page cache (icp_portal.pagecache.PageFileCache): Django's file cache that
counts its folder on one store in CULL_CHECK_EVERY, not on every store."""

from unittest import mock

import pytest

from icp_portal.pagecache import PageFileCache


@pytest.fixture
def cache(tmp_path):
    cache = PageFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    cache.CULL_CHECK_EVERY = 5
    return cache


def files(cache):
    return len(cache._list_cache_files())


def test_storing_a_page_does_not_list_the_whole_folder_each_time(cache):
    with mock.patch.object(cache, "_list_cache_files", wraps=cache._list_cache_files) as listing:
        for n in range(20):
            cache.set(f"page-{n}", b"<html>")
    assert listing.call_count == 4


def test_the_folder_is_still_culled_to_about_its_limit(cache):
    for n in range(200):
        cache.set(f"page-{n}", b"<html>")
    # Between two counts at most CULL_CHECK_EVERY pages are added past the limit.
    assert files(cache) <= 10 + cache.CULL_CHECK_EVERY
    assert cache.get("page-199") == b"<html>"
