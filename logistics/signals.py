"""What the logistics app announces, for apps above it to act on (compliance resolves its flags).

The logistics app does not know who listens: it imports no app above it
(tests/project/test_layers.py). The signal is sent inside the transaction
that stores the receipt, so a receiver's writes commit or roll back with it.
The receiver is in `compliance/receivers.py`, connected in
`ComplianceConfig.ready()`.
"""

from django.dispatch import Signal

# A receipt was recorded or corrected: `receipt` (a LogisticsReceipt) and `now` (the service's moment).
receipt_recorded = Signal()
