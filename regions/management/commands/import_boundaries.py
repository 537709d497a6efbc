from regions.boundaries import boundaries_import

from ._import import CsvImportCommand


class Command(CsvImportCommand):
    help = ("Import regency and district outlines from a GeoJSON FeatureCollection joined by Kemendagri code "
            "(upsert; simplified for the maps).")
    importer = boundaries_import

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON file (UTF-8) with a `code` property on every feature")
