# The logistics item catalogue (code, name, unit, expected-quantity rule), in every database (tests included).
# A literal copy on purpose: a migration must not change when the app code does.

from django.db import migrations

BALLOTS = "ballots_with_spare"
PER_TPS = "per_tps"

# code, name, unit, rule, per TPS
CATALOGUE = [
    ("ballot_governor", "Surat suara Pemilihan Gubernur", "lembar", BALLOTS, 1),
    ("ballot_local", "Surat suara Pemilihan Bupati/Wali Kota", "lembar", BALLOTS, 1),
    ("ballot_box_governor", "Kotak suara Pemilihan Gubernur", "buah", PER_TPS, 1),
    ("ballot_box_local", "Kotak suara Pemilihan Bupati/Wali Kota", "buah", PER_TPS, 1),
    ("form_c_governor", "Formulir Model C.Hasil-KWK Pemilihan Gubernur", "set", PER_TPS, 1),
    ("form_c_local", "Formulir Model C.Hasil-KWK Pemilihan Bupati/Wali Kota", "set", PER_TPS, 1),
    ("braille_template_governor", "Alat bantu tunanetra (template braille) Pemilihan Gubernur", "buah", PER_TPS, 1),
    ("braille_template_local", "Alat bantu tunanetra (template braille) Pemilihan Bupati/Wali Kota", "buah",
     PER_TPS, 1),
    ("voting_booth", "Bilik pemungutan suara", "buah", PER_TPS, 4),
    ("punch_tool", "Alat coblos", "buah", PER_TPS, 4),
    ("ink", "Tinta", "botol", PER_TPS, 2),
    ("seal", "Segel", "set", PER_TPS, 1),
]


def create_catalogue(apps, schema_editor):
    LogisticsItem = apps.get_model("logistics", "LogisticsItem")
    for position, (code, name, unit, rule, per_tps) in enumerate(CATALOGUE, start=1):
        # get_or_create: an admin's later edits to an item are never overwritten.
        LogisticsItem.objects.get_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "rule": rule, "per_tps": per_tps, "spare_per_mille": 25,
                      "position": position},
        )


class Migration(migrations.Migration):

    dependencies = [
        ("logistics", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_catalogue, migrations.RunPython.noop),
    ]
