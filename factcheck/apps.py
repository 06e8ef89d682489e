from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    name = "factcheck"

    def ready(self) -> None:
        # Connects the signals that clear a user's cached account and roles when they change.
        from factcheck import auth  # noqa: F401
