from regions.importing import tps_import

from ._import import CsvImportCommand


class Command(CsvImportCommand):
    help = "Import polling stations (TPS) from a village_code,number,voters CSV (upsert by village and number)."
    importer = tps_import
