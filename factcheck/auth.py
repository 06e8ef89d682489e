from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q


class CachedPermissionsBackend(ModelBackend):
    """ModelBackend whose permission lookup is one query, cached for PERMISSIONS_CACHE_SECONDS.

    Every view checks a role and roles change rarely, so a verdict should not pay two
    permission queries each time; a role taken away takes effect within the cache time.
    """

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = f"permissions:{user_obj.pk}"
            permissions = cache.get(key)
            if permissions is None:
                permissions = self._permissions_of(user_obj)
                cache.set(key, permissions, settings.PERMISSIONS_CACHE_SECONDS)
            user_obj._perm_cache = permissions
        return user_obj._perm_cache

    def _permissions_of(self, user_obj) -> set[str]:
        permissions = Permission.objects.all()
        if not user_obj.is_superuser:
            permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
        rows = permissions.values_list("content_type__app_label", "codename").distinct()
        return {f"{app}.{codename}" for app, codename in rows}
