import datetime as dt

import pytest

from tests import factories
from violations.demo import seed_history
from violations.models import IncidentEvent, ViolationIncident
from violations.querysets import overdue_q

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(kaltim, samarinda, balikpapan, kukar, kukar_officer, officer, other_officer, secretariat):
    """An election placed like `seed_demo --live`: voting in a week, reporting from three weeks back."""
    today = dt.date(2024, 11, 20)
    election = factories.election_make(kaltim, voting_day=today + dt.timedelta(days=7),
                                       regencies=[samarinda, balikpapan, kukar])
    election.reporting_start = today - dt.timedelta(days=21)
    election.save()
    return election


def test_seed_history_covers_every_state_with_timelines_and_is_idempotent(live, now):
    created = seed_history(live, now)

    statuses = sorted(ViolationIncident.objects.values_list("status", flat=True))
    assert statuses == ["concluded", "concluded", "forwarded", "recorded", "recorded", "under_review", "withdrawn"]
    assert ViolationIncident.objects.filter(overdue_q(now)).count() == 1
    assert len({incident.regency_id for incident in created}) == 3
    for incident in created:
        steps = list(incident.events.values_list("to_status", flat=True))
        assert steps[0] == "recorded" and steps[-1] == incident.status
    assert IncidentEvent.objects.filter(by__username="sekretariat").exists()

    events = IncidentEvent.objects.count()
    assert seed_history(live, now + dt.timedelta(days=1)) == []
    assert (ViolationIncident.objects.count(), IncidentEvent.objects.count()) == (7, events)
