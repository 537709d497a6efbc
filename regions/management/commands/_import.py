from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from regions.importing import ImportRejected


class CsvImportCommand(BaseCommand):
    """Shared shape of the import commands (CSV, GeoJSON): errors on stderr, counts on stdout.

    Scripts read this output: it is English whatever the interface language,
    each bad row as `line N: reason` and each level as `level: N created,
    N updated, N unchanged`. The admin's import says the same in the user's language.
    """

    importer = None

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file (UTF-8, with or without BOM; comma- or semicolon-separated)")

    def handle(self, *args, file, **options):
        with translation.override("en"):
            self._import(file)

    def _import(self, file):
        try:
            with open(file, newline="", encoding="utf-8-sig") as stream:
                result = type(self).importer(stream)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text: {error}") from error
        except ImportRejected as rejected:
            for message in rejected.summary():
                self.stderr.write(message)
            raise CommandError(f"{len(rejected.errors)} bad row(s); nothing was changed") from rejected
        for line in result.lines():
            self.stdout.write(line)
