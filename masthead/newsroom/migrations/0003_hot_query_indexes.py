"""An index for fronts and tag, author and section lists (see deploy/explain.py).

Every list of stories is "live stories under this page, newest first" (ties broken by the
page's unique tree path, which lives on the same table): with pages in publication order, PostgreSQL reads the newest few and stops, instead of reading every story
under the front and sorting them (over a second for the home page of 75,000 stories; well
under a millisecond with it). The pages table is Wagtail's, so the index is created here.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS masthead_page_published_path "
    "ON wagtailcore_page (first_published_at, path)"
)
DROP = "DROP INDEX IF EXISTS masthead_page_published_path"


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_front_picks_and_hourly_counts"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP, elidable=False)]
