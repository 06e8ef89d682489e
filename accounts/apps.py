from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        # Connects the signals that clear a user's cached account and roles when they change.
        from accounts import auth  # noqa: F401
