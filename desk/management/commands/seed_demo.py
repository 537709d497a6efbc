from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from desk.demo import seed_demo
from elections.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the Kalimantan Timur demo (regions, TPS, elections, users). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--live", action="store_true", help="make a simulation around today the active election")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")
        parser.add_argument("--phase", choices=["voting_day", "post_voting"],
                            help="with --live: today is the simulation's voting day, or three days after it")

    def handle(self, *args, live, force, phase, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates users with a known password; with DEBUG off pass --force.")
        if phase and not live:
            raise CommandError("--phase places today in the live simulation: use it with --live.")
        elections = seed_demo(live=live, now=timezone.now(), phase=phase)
        active = next(e for e in elections if e.is_active)
        self.stdout.write(f"Demo ready. Active election: {active.name} (voting day {active.voting_day}).")
        self.stdout.write(f"Logins (password {DEMO_PASSWORD}): admin, sekretariat, desk-samarinda, ...")
