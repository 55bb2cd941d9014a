"""The vocabulary API finds codes by the words a person types, in English or Chinese."""

from __future__ import annotations

from fastapi.testclient import TestClient


def _codes(client: TestClient, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    return [item["code"] for item in response.json()["items"]]


def test_software_developer_is_isco_2512_first(client: TestClient) -> None:
    response = client.get("/api/v1/vocab/occupations?q=software%20developer")
    body = response.json()
    assert body["kind"] == "occupations" and body["q"] == "software developer"
    assert body["lang"] == "en"
    assert body["items"][0] == {"code": "2512", "label": "Software developers", "detail": None}


def test_computer_science_is_field_0613_first(client: TestClient) -> None:
    assert _codes(client, "/api/v1/vocab/fields?q=computer%20science")[0] == "0613"


def test_chinese_words_find_the_same_occupation_with_a_chinese_label(client: TestClient) -> None:
    body = client.get("/api/v1/vocab/occupations", params={"q": "软件", "lang": "zh"}).json()
    assert "2512" in [i["code"] for i in body["items"]]
    assert {"code": "2512", "label": "软件开发人员", "detail": None} in body["items"]


def test_an_institution_is_found_by_its_chinese_name_with_its_country(client: TestClient) -> None:
    body = client.get("/api/v1/vocab/institutions", params={"q": "印度理工学院德里", "lang": "zh"})
    first = body.json()["items"][0]
    assert first == {"code": "iit-delhi", "label": "印度理工学院德里分校", "detail": "印度"}
    english = client.get("/api/v1/vocab/institutions", params={"q": "IIT Delhi"}).json()
    assert english["items"][0]["detail"] == "India"


def test_limit_caps_the_items(client: TestClient) -> None:
    assert len(_codes(client, "/api/v1/vocab/countries?q=a&limit=3")) == 3


def test_an_unknown_vocabulary_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/api/v1/vocab/planets?q=mars")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "occupations" in response.json()["title"]


def test_a_bad_language_or_limit_is_a_422_problem_naming_the_field(client: TestClient) -> None:
    for query, field in (("lang=fr", "lang"), ("limit=0", "limit"), ("limit=1000", "limit")):
        response = client.get(f"/api/v1/vocab/fields?q=physics&{query}")
        assert response.status_code == 422, query
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in response.text


def test_the_route_is_documented_in_openapi(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/vocab/{kind}"]["get"]
    assert operation["summary"] == "Find a code by the words people use"
    assert {p["name"] for p in operation["parameters"]} == {"kind", "q", "lang", "limit"}
    assert "VocabResult" in spec["components"]["schemas"]


def test_an_institution_picked_from_the_register_decides_the_assessment(
    client: TestClient,
) -> None:
    """The id the picker returns is all the profile needs: no rank is typed."""
    hit = client.get("/api/v1/vocab/institutions", params={"q": "IIT Delhi"}).json()["items"][0]
    profile = {
        "citizenships": ["IN"],
        "birth_date": "1999-03-01",
        "education": [
            {
                "level": "master",
                "field": "0613",
                "institution": {"id": hit["code"]},
                "completed": "2024-06-30",
            }
        ],
        "work": [],
    }
    body = {"profile": profile, "as_of": "2026-12-01", "programs": ["cn-k"]}
    response = client.post("/api/v1/assess", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "eligible"
    unknown = {**body, "profile": {**profile, "education": [{"institution": {"id": "x"}}]}}
    problem = client.post("/api/v1/assess", json=unknown)
    assert problem.status_code == 422
    assert "profile.education[0].institution.id" in problem.text
