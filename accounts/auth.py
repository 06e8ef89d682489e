from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver


def _user_key(user_id) -> str:
    return f"user:{user_id}"


def _permissions_key(user_id) -> str:
    return f"permissions:{user_id}"


class CachedAuthBackend(ModelBackend):
    """ModelBackend whose user and permission lookups are cached for AUTH_CACHE_SECONDS.

    Every request loads its user and every view checks a role, and both change rarely, so a
    verdict should not pay three queries for them. Saving a user or changing their groups
    clears their entries; a change made around the ORM takes effect within the cache time.
    """

    def get_user(self, user_id):
        user = cache.get(_user_key(user_id))
        if user is None:
            user = super().get_user(user_id)
            if user is not None:
                cache.set(_user_key(user_id), user, settings.AUTH_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = _permissions_key(user_obj.pk)
            permissions = cache.get(key)
            if permissions is None:
                permissions = self._permissions_of(user_obj)
                cache.set(key, permissions, settings.AUTH_CACHE_SECONDS)
            user_obj._perm_cache = permissions
        return user_obj._perm_cache

    def _permissions_of(self, user_obj) -> set[str]:
        permissions = Permission.objects.all()
        if not user_obj.is_superuser:
            permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
        rows = permissions.values_list("content_type__app_label", "codename").distinct()
        return {f"{app}.{codename}" for app, codename in rows}


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
@receiver(post_delete, sender=settings.AUTH_USER_MODEL)
def forget_user(sender, instance, **kwargs) -> None:
    # A password change, a deactivation or a new superuser flag applies at the next request.
    cache.delete_many([_user_key(instance.pk), _permissions_key(instance.pk)])


@receiver(m2m_changed, sender=get_user_model().groups.through)
@receiver(m2m_changed, sender=get_user_model().user_permissions.through)
def forget_permissions(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    # From the user's side the instance is the user; from the group's side, pk_set holds users
    # (None when a group is cleared: then its former members are unknown here, so forget all).
    if not reverse:
        users = [instance.pk]
    elif pk_set is not None:
        users = list(pk_set)
    else:
        users = list(get_user_model().objects.values_list("pk", flat=True))
    cache.delete_many([_permissions_key(pk) for pk in users])
