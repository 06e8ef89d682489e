from __future__ import annotations

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"

    def ready(self) -> None:
        # Registers the annotation task, which articles sends by name.
        from claims import tasks  # noqa: F401
