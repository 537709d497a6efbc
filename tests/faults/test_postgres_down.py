"""PostgreSQL going away under a running server: requests fail cleanly with a readable 503
(JSON on the API), and succeed again once the database is back, without restarting the server."""

import psycopg2
import pytest
import requests

from .services import PostgresCluster, app_env, free_port, manage, web_server

pytestmark = pytest.mark.fault

# An admin with an API token, made in the new cluster; prints the token.
MAKE_USER = """
from accounts.roles import Role
from accounts.services import user_create_for_role
from rest_framework.authtoken.models import Token
user = user_create_for_role(username="admin-uji", password="uji-12345-rahasia", role=Role.ADMIN)
print(Token.objects.create(user=user).key)
"""


@pytest.fixture
def cluster():
    cluster = PostgresCluster()
    try:
        cluster.create()
        connection = psycopg2.connect(cluster.url("postgres"))
        connection.autocommit = True
        connection.cursor().execute("CREATE DATABASE pilkada")
        connection.close()
        yield cluster
    finally:
        cluster.destroy()


def test_requests_get_a_readable_503_while_postgresql_is_down_and_succeed_after(cluster, tmp_path):
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    setup = app_env(database_url=cluster.url("pilkada"), redis_url=dead_redis)
    manage(setup, "migrate", "--no-input", "-v0")
    token = manage(setup, "shell", "-c", MAKE_USER).strip().splitlines()[-1]
    api = {"Authorization": f"Token {token}"}
    # A session cookie makes the page look its visitor up in the database.
    page = {"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"}

    with web_server(app_env(database_url=cluster.url("pilkada"), redis_url=dead_redis, debug=False), tmp_path) as base:
        assert requests.get(f"{base}/api/v1/logistics/items/", headers=api, timeout=30).status_code == 200
        assert requests.get(f"{base}/", headers=page, allow_redirects=False, timeout=30).status_code == 302

        cluster.stop()
        for _ in range(2):
            down_api = requests.get(f"{base}/api/v1/logistics/items/", headers=api, timeout=30)
            assert down_api.status_code == 503 and down_api.headers["Retry-After"] == "30"
            assert "Basis data sedang tidak dapat dihubungi" in down_api.json()["detail"]
            down_page = requests.get(f"{base}/", headers=page, allow_redirects=False, timeout=30)
            assert down_page.status_code == 503 and down_page.headers["Content-Type"].startswith("text/html")
            assert "Layanan sedang tidak tersedia" in down_page.text and "Basis data" in down_page.text
            assert "Traceback" not in down_page.text and "psycopg2" not in down_page.text

        cluster.start()
        back = requests.get(f"{base}/api/v1/logistics/items/", headers=api, timeout=30)
        assert back.status_code == 200 and back.json()["count"] > 0
        assert requests.get(f"{base}/", headers=page, allow_redirects=False, timeout=30).status_code == 302
