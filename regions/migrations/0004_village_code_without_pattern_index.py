"""Villages lose the `varchar_pattern_ops` twin Django gives a text primary key.

Nothing looks villages up by a prefix of their code (the code-in-district
rule is a CHECK, which uses no index), and the twin costs every import of the
country's 83,000 villages about a tenth of its insert time. PostgreSQL only:
other databases never had it.
"""

from django.db import migrations

INDEX = "regions_village_code_926888af_like"


def drop_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def restore_pattern_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON regions_village (code varchar_pattern_ops)")


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0003_village_keys_without_redundant_checks"),
    ]

    operations = [migrations.RunPython(drop_pattern_index, restore_pattern_index)]
