from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

# The expression articles.search.search_vector() builds: a query uses the index only if its
# expression is this one exactly. PostgreSQL only; SQLite searches with LIKE instead.
INDEX = GinIndex(
    SearchVector("title", "outlet", "body", config="english"), name="article_search"
)


def add_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), INDEX)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), INDEX)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_article_kind_archive_counters")]

    operations = [migrations.RunPython(add_index, remove_index)]
