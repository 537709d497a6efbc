from regions.importing import regions_import

from ._import import CsvImportCommand


class Command(CsvImportCommand):
    help = "Import provinces, regencies, districts and villages from a code,name CSV (upsert by code)."
    importer = regions_import
