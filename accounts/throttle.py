"""Login throttling: django-axes, keyed on the account as the login form reads it, counting the
password checks under way as well as the failures recorded."""

from __future__ import annotations

from contextlib import suppress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cache_timeout, get_client_cache_keys, get_failure_limit
from django.contrib.auth.forms import UsernameField
from django.core.cache import cache
from django.http import HttpRequest

_username_field = UsernameField()


def account_name(request: HttpRequest, credentials: dict | None) -> str:
    """The account a login attempt is for (AXES_USERNAME_CALLABLE).

    The login form strips and NFKC-normalises the username before it authenticates, so
    " editor" and fullwidth "ｅｄｉｔｏｒ" log in as "editor" and must count against it too.
    Casefolded as well: "Editor" cannot log in as "editor", but counting it there costs no
    one anything, and stays right if usernames ever match case-insensitively.
    """
    raw = credentials.get("username") if credentials is not None else request.POST.get("username")
    return _username_field.to_python(raw or "").casefold()


class CountedDatabaseHandler(AxesDatabaseHandler):
    """Axes' database handler, whose lockout check also counts the password checks under way.

    Axes reads the failures recorded before it checks a password and records a failure after,
    so twenty parallel wrong passwords all pass before the first is recorded. Here an attempt
    first adds itself to a counter of checks in flight for its account and address, with the
    cache's atomic `incr` (Redis INCR with CACHE_URL), and is refused when the failures recorded
    plus the checks ahead of it reach the limit. It leaves the counter only after axes has
    recorded its outcome, so every earlier check is counted at least once: at worst twice for a
    moment, which refuses early, never late.
    """

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        keys = [f"login-checks:{key}" for key in get_client_cache_keys(request, credentials)]
        # Never below none: a stale decrement may meet a counter that expired and started again.
        ahead = max([0, *(self._enter(key, request) - 1 for key in keys)])
        request.login_checks = keys
        locked = self.get_failures(request, credentials) + ahead >= get_failure_limit(
            request, credentials
        )
        # Axes answers with its lockout page when the failures recorded reach the limit; this
        # makes it answer so when the checks under way do.
        request.axes_locked_out = request.axes_locked_out or locked
        return locked

    @staticmethod
    def _enter(key: str, request: HttpRequest) -> int:
        cache.add(key, 0, get_cache_timeout(request))
        try:
            return cache.incr(key)
        except ValueError:  # expired between the two calls: this check opens a new window
            cache.add(key, 1, get_cache_timeout(request))
            return 1

    @staticmethod
    def _leave(request: HttpRequest | None) -> None:
        for key in getattr(request, "login_checks", ()):
            with suppress(ValueError):  # expired: nothing left to leave
                cache.decr(key)
        if request is not None:
            request.login_checks = ()

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and request.axes_locked_out:
            request.axes_credentials = credentials
        self._leave(request)

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        self._leave(request)
