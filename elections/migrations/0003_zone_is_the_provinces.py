from django.db import migrations


def zone_to_province(apps, schema_editor):
    """Until now the rules read the election's own zone: its province takes it (the active election's first)."""
    Election = apps.get_model("elections", "Election")
    Province = apps.get_model("regions", "Province")
    for election in Election.objects.order_by("is_active", "voting_day"):  # the active one last, so it wins
        Province.objects.filter(pk=election.province_id).update(time_zone=election.time_zone)


class Migration(migrations.Migration):

    dependencies = [
        ('elections', '0002_voting_day_times_and_recap_windows'),
        ('regions', '0005_province_zone_default_from_settings'),
    ]

    operations = [
        migrations.RunPython(zone_to_province, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name='election',
            options={'base_manager_name': 'objects', 'ordering': ['-voting_day', 'name'], 'verbose_name': 'pemilihan', 'verbose_name_plural': 'pemilihan'},
        ),
        migrations.RemoveField(
            model_name='election',
            name='time_zone',
        ),
    ]
