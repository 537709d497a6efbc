"""The bottom layer: plumbing every app shares and that knows no app.

Validators for typed text, bulk COPY writes, the version check of concurrent
edits, the history helper, error translation for pages and the API, parsing
form and API fields, the admin mixins for desk records, the 503 for a lost
database. Nothing here imports a desk app (tests/project/test_layers.py).
"""
