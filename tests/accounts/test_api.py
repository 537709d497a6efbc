import pytest

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_token_then_regencies_scoped_to_officer(api, officer, samarinda, balikpapan):
    token = api.post("/api/v1/token/", {"username": officer.username, "password": PASSWORD}, format="json")
    assert token.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")

    response = api.get("/api/v1/regencies/")

    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["results"] == [{"code": "64.72", "name": "Kota Samarinda", "kind": "kota", "province": "64"}]
    assert api.get("/api/v1/regencies/64.71/").status_code == 404


@pytest.mark.django_db
def test_bad_credentials_get_400(api, officer):
    assert api.post("/api/v1/token/", {"username": officer.username, "password": "x"}, format="json").status_code == 400


@pytest.mark.django_db
def test_anonymous_gets_401(api, samarinda):
    assert api.get("/api/v1/regencies/").status_code == 401
    assert api.get("/api/v1/candidate-pairs/").status_code == 401


@pytest.mark.django_db
def test_secretariat_sees_province_regencies_and_pairs(api, secretariat, election, other_province_regency):
    api.as_user(secretariat)
    codes = [r["code"] for r in api.get("/api/v1/regencies/").json()["results"]]
    assert codes == ["64.71", "64.72"]
    pairs = api.get("/api/v1/candidate-pairs/").json()
    assert pairs["count"] == 4
    assert {"id", "contest", "regency", "number", "names"} == set(pairs["results"][0])
    governor = [p for p in pairs["results"] if p["contest"] == "governor"]
    assert len(governor) == 2 and governor[0]["regency"] is None


@pytest.mark.django_db
def test_officer_sees_governor_and_own_local_pairs(api, officer, election):
    results = api.as_user(officer).get("/api/v1/candidate-pairs/").json()["results"]
    assert sorted((p["contest"], p["regency"]) for p in results) == [
        ("governor", None), ("governor", None), ("local", "64.72")
    ]
    assert api.get("/api/v1/candidate-pairs/?contest=local").json()["count"] == 1


@pytest.mark.django_db
def test_schema_and_offline_docs(api, officer):
    api.as_user(officer)
    schema = api.get("/api/v1/schema/")
    assert schema.status_code == 200 and b"/api/v1/regencies/" in schema.content
    docs = api.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn" not in html.lower() and "//unpkg" not in html


@pytest.mark.django_db
def test_password_guessing_on_the_token_endpoint_is_throttled(api, officer):
    # Twenty-one user names from one address: the throttle counts the address, whatever the name.
    statuses = [
        api.post("/api/v1/token/", {"username": f"tebak{n}", "password": "wrong"}, format="json",
                 REMOTE_ADDR="10.9.8.7").status_code
        for n in range(21)
    ]
    assert statuses[:20] == [400] * 20 and statuses[20] == 429
    guess = {"username": officer.username, "password": "wrong"}
    assert api.post("/api/v1/token/", guess, format="json", REMOTE_ADDR="10.9.8.6").status_code == 400


@pytest.mark.django_db
def test_token_endpoint_locks_a_user_name_out_after_ten_wrong_passwords(api, officer):
    guess = {"username": officer.username, "password": "wrong"}
    statuses = [api.post("/api/v1/token/", guess, format="json").status_code for _ in range(10)]
    assert statuses == [400] * 9 + [429]
    right = api.post("/api/v1/token/", {"username": officer.username, "password": PASSWORD}, format="json")
    assert right.status_code == 429
    assert right.json() == {"detail": "Terlalu banyak percobaan masuk yang salah. Coba lagi dalam 15 menit."}
    assert "token" not in right.json()
