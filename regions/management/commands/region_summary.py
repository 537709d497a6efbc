import json

from django.core.management.base import BaseCommand, CommandError

from regions.models import Province
from regions.summary import region_summary


class Command(BaseCommand):
    help = "Count the region master data, for all of it or one province."

    def add_arguments(self, parser):
        parser.add_argument("--province", help="province code, e.g. 64")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print one JSON object")

    def handle(self, *args, province=None, as_json=False, **options):
        if province and not Province.objects.filter(pk=province).exists():
            raise CommandError(f"unknown province '{province}'")
        totals, per_regency = region_summary(province=province)
        if as_json:
            self.stdout.write(json.dumps(totals))
            return
        self.stdout.write(
            f"{'code':<6} {'regency/city':<32} {'districts':>9} {'villages':>9} {'TPS':>7} {'voters':>11}"
        )
        for row in per_regency:
            self.stdout.write(
                f"{row['code']:<6} {row['name']:<32} {row['districts']:>9,} {row['villages']:>9,} "
                f"{row['tps']:>7,} {row['voters']:>11,}"
            )
        self.stdout.write(
            f"{'':<6} {'total (' + str(totals['provinces']) + ' province(s), ' + str(totals['regencies']) + ')':<32} "
            f"{totals['districts']:>9,} {totals['villages']:>9,} {totals['tps']:>7,} {totals['voters']:>11,}"
        )

