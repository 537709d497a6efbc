import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance.models import Flag
from compliance.run import check_compliance, flags_check
from compliance.tasks import parse_moment


def moment_argument(text):
    """--at: an ISO 8601 date-time, read as the scheduled task reads it."""
    try:
        return parse_moment(text)
    except ValueError as error:
        raise CommandError(f"--at must be an ISO 8601 datetime, e.g. 2024-11-20T20:30:00+08:00 ({error})") from error


class Command(BaseCommand):
    help = "Run the compliance check (the Celery task check_compliance) as of a moment, then list open flags."

    def add_arguments(self, parser):
        parser.add_argument("--at", type=moment_argument, help="ISO 8601 datetime (default: now)")
        parser.add_argument("--json", action="store_true", dest="as_json", help="one JSON object a line")

    def handle(self, *args, at=None, as_json=False, **options):
        now = at or timezone.now()
        # As the task: e-mails only for a run as of now, not for a moment given with --at.
        summary = flags_check(now=now) if at else check_compliance(now=now)
        flags = (
            Flag.objects.open().filter(election__is_active=True, raised_at__lte=now)
            .select_related("regency", "election__province").order_by("date", "regency_id", "kind")
        )
        if as_json:
            for flag in flags:
                line = {"regency": flag.regency_id, "kind": flag.kind, "date": str(flag.date)}
                if flag.subject:  # the voting-day round or recapitulation level
                    line["subject"] = flag.subject
                self.stdout.write(json.dumps(line))
            return
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in sorted(summary.items())) or "no changes")
        self.stdout.write(f"Open flags raised by {now.isoformat()}:")
        for flag in flags:
            line = f"  {flag.date}  {flag.place_code}  {flag.place_name:<32} {flag.kind} {flag.subject}"
            self.stdout.write(line.rstrip())
