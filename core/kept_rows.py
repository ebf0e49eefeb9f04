"""Rows kept in each process between requests for as long as the tables they were read from are
unchanged (docs/adr/008-kept-rows.md).

Every table has a *version* in the shared cache (Redis in full mode, files in the embedded mode:
the page cache's alias), a random token replaced after every committed transaction that wrote to
it (icp_portal.pagecache watches every connection's writes and calls `replace_versions`). A row
read through `kept` is kept, pickled, under the versions of the tables it was read from and
today's date, so the first request after a write to any of them reads it again. A write to any
other table leaves it kept: publishing a paper or recording a decision does not make the next
reader of the register load the partnership again.

For what almost every page reads and seldom changes (a partnership, its system and region; the
meeting a secretariat is working on, between their writes), and only what its loader decides for
anyone alike: `kept` holds no reader's rights.
Kept only while the page cache is on (`PAGE_CACHE`): the tests turn it off, since their writes
are never committed and so never replace a version.
"""

import functools
import logging
import pickle
import uuid

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "kept:table:{table}"
# Kept rows per process: enough for every partnership's pages in a few shapes; past it, the
# oldest versions' rows are dropped with the rest and read again.
MAX_KEPT = 1000

_kept: dict = {}


def _cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def current_versions(keys: list[str]) -> tuple[str, ...]:
    """The versions stored under `keys` in the shared cache (the page cache's, for a page or a
    table), a new one for any it does not hold."""
    cache = _cache()
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # First read, or the cache lost the key: a new token is as good as a write. Added,
            # not set: a writer's replacement in between is kept.
            cache.add(key, uuid.uuid4().hex, timeout=None)
            found[key] = cache.get(key) or uuid.uuid4().hex
    return tuple(found[key] for key in keys)


def table_versions(tables) -> tuple[str, ...]:
    """The current version of each of `tables`."""
    return current_versions([VERSION_KEY.format(table=table) for table in tables])


def replace_versions(tables) -> None:
    """Replace the versions of `tables`: called once their writes are committed."""
    try:
        _cache().set_many({VERSION_KEY.format(table=table): uuid.uuid4().hex for table in tables}, timeout=None)
    except Exception:
        # The commit has happened; failing the request would not undo it. Rows are kept under
        # versions read from the same cache, so an outage that stops this stops `kept` too.
        logger.exception("Could not replace the versions of %s", ", ".join(tables))


@functools.cache
def tables_read(model, paths: tuple[str, ...]) -> tuple[str, ...]:
    """The tables a `model` row read with `select_related(*paths)` comes from: what `kept` must
    watch for it, worked out rather than listed, so that a path added cannot be forgotten."""
    tables = {model._meta.db_table}
    for path in paths:
        related = model
        for name in path.split("__"):
            related = related._meta.get_field(name).related_model
            tables.add(related._meta.db_table)
    return tuple(sorted(tables))


def kept(key: tuple, tables, load):
    """What `load()` returns, kept under `key` while none of `tables` is written and the day
    lasts: each call is given its own copy, so what a request sets on it stays its own."""
    if not settings.PAGE_CACHE:
        return load()
    try:
        full_key = (key, table_versions(tables), timezone.localdate())
    except Exception:
        logger.exception("Kept rows unavailable; reading them")
        return load()
    stored = _kept.get(full_key)
    if stored is not None:
        return pickle.loads(stored)  # noqa: S301 - pickled by this process, from its own rows
    value = load()
    if len(_kept) >= MAX_KEPT:
        _kept.clear()
    _kept[full_key] = pickle.dumps(value)
    return value
