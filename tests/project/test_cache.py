from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.skipif(
    not settings.CACHE_URL, reason="needs CACHE_URL=redis://… (.ci/run sets it)"
)


def test_the_redis_cache_keeps_one_client_for_its_server():
    cache.set("greeting", "hello", 10)
    assert cache.get("greeting") == "hello"
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_sessions_are_served_from_the_cache_when_it_is_shared():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
