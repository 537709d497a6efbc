"""`make bench`: the national-scale benchmark (not part of the test suite, not installed as an app)."""
