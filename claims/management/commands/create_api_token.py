from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.models import ApiToken


class Command(BaseCommand):
    help = "Create a token for the JSON API, acting as USERNAME, and print it (shown only once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="script", help="What will use the token.")

    def handle(self, *args, username: str, name: str, **options) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        token = ApiToken(user=user, name=name)
        key = token.new_key()
        token.save()
        self.stdout.write(key)
        self.stderr.write(f"Token {token} for {username}: keep it now, it cannot be shown again.")
