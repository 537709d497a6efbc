"""The Rakor (coordination meetings): scheduling and recording them, action items, the calendar file, the brief.

The records are `desk.models` (Django's place for them); this package holds
their writes (services), forms, pages and the brief printed for a meeting.
"""
