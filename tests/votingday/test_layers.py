"""votingday is a stream: it may use the bottom apps and idempotency, never desk, compliance or intake."""

from tests.desk.test_layers import imported_packages


def test_votingday_imports_no_app_above_or_beside_it():
    forbidden = {"desk", "compliance", "intake", "reports", "logistics", "violations"}
    offending = [(str(path), package) for path, package in imported_packages("votingday") if package in forbidden]
    assert offending == []


def test_the_check_sees_votingdays_imports():
    assert {package for _path, package in imported_packages("votingday")} >= {"regions", "accounts", "elections"}
