from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.skipif(
    not settings.CACHE_URL, reason="needs CACHE_URL=redis://… (.ci/run sets it)"
)


def test_the_shared_cache_is_redis_with_one_client_per_server():
    cache.set("greeting", "hello", 10)
    assert cache.get("greeting") == "hello"
    assert cache.client.get_client(write=False) is cache.client.get_client(write=True)
