from django.db import migrations

# PostgreSQL only (SQLite searches with LIKE): a stored tsvector of the title, outlet and
# text, kept by a trigger that runs only when one of those changes, so that a verdict's
# counter update never re-parses the text. The model does not declare the column, so Django
# never reads it; articles.search filters on it. The text is capped below tsvector's 1 MB.
FORWARD = """
ALTER TABLE articles_article ADD COLUMN search_document tsvector;
CREATE FUNCTION articles_article_search_document() RETURNS trigger AS $$
BEGIN
  NEW.search_document := to_tsvector('english'::regconfig,
    coalesce(NEW.title, '') || ' ' || coalesce(NEW.outlet, '') || ' '
    || left(coalesce(NEW.body, ''), 200000));
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER articles_article_search_document
  BEFORE INSERT OR UPDATE OF title, outlet, body ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_document();
UPDATE articles_article SET title = title;
CREATE INDEX article_search ON articles_article USING gin (search_document);
"""
BACKWARD = """
DROP TRIGGER articles_article_search_document ON articles_article;
DROP FUNCTION articles_article_search_document();
ALTER TABLE articles_article DROP COLUMN search_document;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_article_kind_archive_counters")]

    operations = [migrations.RunPython(forward, backward)]
