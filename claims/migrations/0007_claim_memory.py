# Claim memory: the looked-up wording, the stored embedding and its cell, and their indexes.

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

DECIDED = models.Q(models.Q(("verdict", ""), _negated=True), ("removed_in_version__isnull", True))


class AddIndexOn(migrations.AddIndex):
    """An index created on one database vendor only; the model state has it everywhere."""

    def __init__(self, *args, vendor: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.vendor = vendor

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {**kwargs, "vendor": self.vendor}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0006_claim_versions"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on SQLite
        migrations.AddField(
            model_name="claim",
            name="embedding",
            field=models.BinaryField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="claim",
            name="embedding_cell",
            field=models.PositiveSmallIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="claim",
            name="text_key",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Lower("text"),
                output_field=models.TextField(),
            ),
        ),
        AddIndexOn(
            model_name="claim",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass("text_key", name="gin_trgm_ops"),
                condition=DECIDED,
                name="claim_decided_trgm",
            ),
            vendor="postgresql",
        ),
        AddIndexOn(
            model_name="claim",
            index=models.Index(condition=DECIDED, fields=["text_key"], name="claim_decided_text"),
            vendor="sqlite",
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=DECIDED, fields=["embedding_cell"], name="claim_decided_cell"
            ),
        ),
    ]
