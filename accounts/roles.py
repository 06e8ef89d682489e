"""The newsroom's roles, as Django groups: what each may do is a set of model permissions."""

from __future__ import annotations

from django.apps import apps as global_apps
from django.db.models import Q

VIEWER = ["articles.view_article", "claims.view_claim", "claims.view_verdictchange"]
ROLES: dict[str, list[str] | None] = {
    # Read every article, review page and verdict history; export.
    "viewer": VIEWER,
    # Also upload articles, change their sources, re-run pre-annotation, mark claims.
    "editor": [*VIEWER, "articles.add_article", "articles.change_article", "claims.change_claim"],
    # Every permission, users and groups included (members also need staff status).
    "admin": None,
}


def ensure_roles(apps=global_apps) -> None:
    """Create the groups with their permissions, or bring them up to date; safe to repeat.

    Takes the app registry so a data migration can run it on its historical models.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if codes is None:
            group.permissions.set(Permission.objects.all())
            continue
        wanted = Q()
        for code in codes:
            app_label, codename = code.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        permissions = list(Permission.objects.filter(wanted))
        if len(permissions) != len(codes):
            raise LookupError(f"Missing permissions for the {name} role: run migrate first.")
        group.permissions.set(permissions)
