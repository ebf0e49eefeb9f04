"""The Redis cache of one pytest-xdist worker (`make test` runs the suite in several processes).

The workers share one Redis database (REDIS_URL), but not its keys: each worker's keys carry its
name as their prefix, so a page cached by one worker is never served to another worker's test
(their databases hold different rows under the same slugs), and `cache.clear()`, which tests call
to start without spent rate limits, deletes only that worker's keys instead of flushing the
database under every other worker."""

from django.core.cache.backends.redis import RedisCache


class WorkerRedisCache(RedisCache):
    def clear(self):
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return True
