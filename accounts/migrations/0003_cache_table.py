"""Create the database cache table wherever migrations run.

Rate limits and lock-out counters live in the shared cache; with no
CACHE_URL that is Django's database cache, whose table `migrate` would not
otherwise create. createcachetable is idempotent and does nothing for Redis.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
