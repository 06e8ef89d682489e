from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.roles import ensure_roles


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    ensure_roles(apps)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["viewer", "editor", "admin"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_annotation_attempts"),
        ("claims", "0003_review_desk"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
