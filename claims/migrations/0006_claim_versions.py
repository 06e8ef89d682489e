# Corrected versions: a claim a new version dropped is kept (for its history) but set aside.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_undo_restores_author"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="claim",
            options={"default_manager_name": "objects", "ordering": ["article", "position"]},
        ),
        migrations.RemoveConstraint(
            model_name="claim",
            name="claim_position_unique",
        ),
        migrations.AddField(
            model_name="claim",
            name="decided_text",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="claim",
            name="removed_in_version",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.UniqueConstraint(
                condition=models.Q(("removed_in_version__isnull", True)),
                fields=("article", "position"),
                name="claim_position_unique",
            ),
        ),
    ]
