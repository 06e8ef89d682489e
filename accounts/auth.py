from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver


def _user_key(user_id) -> str:
    return f"user:{user_id}"


def _permissions_key(user_id) -> str:
    return f"permissions:{user_id}"


class CachedAuthBackend(ModelBackend):
    """ModelBackend whose user and permission lookups are cached for AUTH_CACHE_SECONDS.

    Every request loads its user and every view checks a role, and both change rarely, so a
    verdict should not pay three queries for them. Saving a user, changing their groups or
    a group's permissions, or deleting a group clears the entries concerned; a change made
    around the ORM takes effect within the cache time.
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


def _forget_permissions(user_ids) -> None:
    keys = [_permissions_key(pk) for pk in user_ids]
    if not keys:
        return
    cache.delete_many(keys)
    # Again once committed: a request in another process may have cached the old roles from
    # the database between this change and its commit.
    transaction.on_commit(lambda: cache.delete_many(keys))


def _all_users() -> list[int]:
    return list(get_user_model().objects.values_list("pk", flat=True))


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
        users = _all_users()
    _forget_permissions(users)


@receiver(m2m_changed, sender=Group.permissions.through)
def forget_group_permissions(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A role given or taken a permission applies to its members at their next request."""
    if not action.startswith("post_"):
        return
    # From the group's side the instance is the group; from the permission's side, pk_set
    # holds groups (None when a permission is cleared from every group: forget all).
    if not reverse:
        users = instance.user_set.values_list("pk", flat=True)
    elif pk_set is not None:
        users = get_user_model().objects.filter(groups__in=pk_set).values_list("pk", flat=True)
    else:
        users = _all_users()
    _forget_permissions(set(users))


@receiver(pre_delete, sender=Group)
def forget_group_members(sender, instance, **kwargs) -> None:
    # Before the delete, while its members are still known; deleting removes their rows
    # without an m2m signal.
    _forget_permissions(list(instance.user_set.values_list("pk", flat=True)))
