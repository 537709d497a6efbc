"""One regency on one page: its calendar, districts, logistics, violations, flags and officers."""
