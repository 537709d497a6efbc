"""The 503 answer for a database that has gone away, outside a view (handler500)."""

import json

from django.db import InterfaceError, OperationalError

from core.unavailable import server_error


def answer_while_handling(error, request):
    try:
        raise error
    except Exception:
        return server_error(request)


def test_a_database_error_outside_a_view_is_a_readable_indonesian_503(rf):
    for error in (OperationalError("server closed the connection unexpectedly"), InterfaceError("closed")):
        response = answer_while_handling(error, rf.get("/reports/"))
        page = response.content.decode()
        assert response.status_code == 503 and response["Retry-After"] == "30"
        assert "Layanan sedang tidak tersedia" in page and "server closed" not in page


def test_the_api_gets_json(rf):
    response = answer_while_handling(OperationalError("gone"), rf.get("/api/v1/flags/"))
    assert response.status_code == 503 and "Basis data" in json.loads(response.content)["detail"]


def test_other_errors_keep_the_500_page(rf):
    response = answer_while_handling(ValueError("bug"), rf.get("/"))
    assert response.status_code == 500 and "Terjadi kesalahan" in response.content.decode()
