"""What the reports app announces, for apps above it to act on (compliance resolves its flags).

The reports app does not know who listens: it imports no app above it
(tests/project/test_layers.py). Each signal is sent inside the transaction
that stores the record, so a receiver's writes commit or roll back with it.
The receivers are in `compliance/receivers.py`, connected in
`ComplianceConfig.ready()`.
"""

from django.dispatch import Signal

# A report was stored: `report` (a DailyReport; `report.is_late` says whether its deadline had passed).
report_submitted = Signal()

# The secretariat excused a regency-day: `excuse` (an ExcusedDay, with `excused_by` and `excused_at`).
excuse_granted = Signal()
