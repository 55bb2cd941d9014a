"""The JSON API: documents shared with the CLI, one problem shape for every error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
INDIA = yaml.safe_load((ROOT / "examples" / "india-h1b.yaml").read_text(encoding="utf-8"))
DAY = "2026-11-29"


def jsonable(data: Any) -> Any:
    import json

    return json.loads(json.dumps(data, default=str))


def test_programmes_are_listed_with_versions(client: TestClient) -> None:
    body = client.get("/api/v1/programs", params={"as_of": DAY}).json()
    ids = {p["id"] for p in body}
    assert {"cn-k", "us-h1b", "de-opportunity-card", "de-blue-card", "kr-top-tier", "nz-smc"} <= ids
    k = next(p for p in body if p["id"] == "cn-k")
    assert k["versions"] == ["2025-10-01"] and k["in_force"] is True


def test_rules_as_data_carry_conditions_and_citations(client: TestClient) -> None:
    body = client.get("/api/v1/programs/cn-k", params={"lang": "zh"}).json()
    root = body["versions"][0]["criteria"]
    young = next(c for c in root["children"] if c["id"] == "young")
    assert young["id"] == "young" and "age >= min_age" in young["when"]
    assert young["citations"][0]["href"].startswith("https://")
    assert body["name"].startswith("K字签证")
    assert any(p["confidence"] == "unconfirmed" for p in body["parameters"])


def test_assess_one_programme(client: TestClient) -> None:
    body = client.post(
        "/api/v1/assess", json={"profile": jsonable(INDIA), "as_of": DAY, "programs": ["cn-k"]}
    ).json()
    (result,) = body["results"]
    assert result["program"] == "cn-k" and result["status"] == "eligible"


def test_compare_in_euros_puts_the_payment_on_the_employer(client: TestClient) -> None:
    body = client.post(
        "/api/v1/compare",
        json={
            "profile": jsonable(INDIA),
            "as_of": DAY,
            "currency": "EUR",
            "preferences": ["no-sponsor"],
        },
    ).json()
    us = next(o for o in body["options"] if o["program"] == "us-h1b")
    payment = next(f for f in us["fees"] if f["amount"] == 100000)
    assert payment["payer"] == "employer" and payment["currency"] == "USD"
    assert body["preferences"] == [{"name": "no-sponsor", "title": "No sponsor needed"}]


def test_changes_and_diff(client: TestClient) -> None:
    near = yaml.safe_load((ROOT / "examples" / "near-miss-opportunity-card.yaml").read_text())
    body = client.post(
        "/api/v1/changes",
        json={"profile": jsonable(near), "as_of": DAY, "programs": ["de-opportunity-card"]},
    ).json()
    assert body["programs"][0]["suggestions"][0]["status_after"] == "eligible"
    diff = client.get(
        "/api/v1/programs/de-blue-card/diff", params={"from": "2025-12-31", "to": "2026-01-01"}
    )
    assert diff.status_code == 200
    assert any(c["after"] == "50700" for c in diff.json()["changes"])


def test_wrong_field_is_named_in_a_problem_document(client: TestClient) -> None:
    r = client.post("/api/v1/assess", json={"profile": {"education": [{"level": "phd"}]}})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["status"] == 422 and problem["instance"] == "/api/v1/assess"
    assert [e["path"] for e in problem["errors"]] == ["profile.education[0].level"]


def test_unknown_programme_is_a_404_problem(client: TestClient) -> None:
    r = client.get("/api/v1/programs/xx-nope")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert "cn-k" in r.json()["title"].split("known: ")[1].split(", ")


def test_hostile_bodies_get_4xx(client: TestClient) -> None:
    headers = {"content-type": "application/json"}
    deep = client.post("/api/v1/assess", content=b"[" * 100_000, headers=headers)
    assert deep.status_code == 400 and "nested too deeply" in deep.json()["title"]
    big = client.post("/api/v1/assess", content=b" " * 300_000, headers=headers)
    assert big.status_code == 413
    latin1 = client.post(
        "/api/v1/assess", content='{"profile": {"x": "é"}}'.encode("latin-1"), headers=headers
    )
    assert latin1.status_code == 400 and "UTF-8" in latin1.json()["title"]
    broken = client.post("/api/v1/assess", content=b'{"profile": ', headers=headers)
    assert broken.status_code == 422 and broken.json()["errors"]
    # the server is still fine afterwards
    assert client.get("/api/v1/programs").status_code == 200


def test_every_endpoint_is_documented_with_an_example(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            assert op.get("summary"), f"{method} {path}"
            json_body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if json_body is not None:
                body = json_body["schema"]
                name = body["$ref"].rsplit("/", 1)[-1]
                assert spec["components"]["schemas"][name].get("examples"), name
            for p in op.get("parameters", []):
                if p["in"] == "path":
                    assert "examples" in p or "examples" in p["schema"], f"{path} {p['name']}"
    assert "Problem" in spec["components"]["schemas"]


def test_api_docs_work_offline(client: TestClient) -> None:
    html = client.get("/api/v1/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in html and "cdn." not in html
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_unknown_field_is_named_as_such(client: TestClient) -> None:
    r = client.post("/api/v1/assess", json={"profile": {"citizenship": ["IN"]}})
    (error,) = r.json()["errors"]
    assert error["path"] == "profile.citizenship" and error["message"].startswith("unknown field")


def test_assess_lists_the_payment_as_unconfirmed_after_the_term(client: TestClient) -> None:
    """Check JSON carries each programme's fees; after 2026-09-21 the payment is never 'yes'."""
    body = client.post(
        "/api/v1/assess", json={"profile": jsonable(INDIA), "as_of": DAY, "programs": ["us-h1b"]}
    ).json()
    (us,) = body["results"]
    payment = next(f for f in us["fees"] if f["id"] == "proclamation-payment")
    assert payment["due"] == "maybe" and payment["confidence"] == "unconfirmed"
    assert payment["note"] and "unconfirmed" in payment["note"]
    during = client.post(
        "/api/v1/assess",
        json={"profile": jsonable(INDIA), "as_of": "2026-04-01", "programs": ["us-h1b"]},
    ).json()["results"][0]
    assert next(f for f in during["fees"] if f["id"] == "proclamation-payment")["due"] == "yes"


def test_compare_chance_carries_its_confidence(client: TestClient) -> None:
    body = client.post(
        "/api/v1/compare", json={"profile": jsonable(INDIA), "as_of": DAY, "programs": ["us-h1b"]}
    ).json()
    chance = body["options"][0]["chance"]
    assert chance["confidence"] == "estimate" and chance["basis"] == "DHS projection"
    assert chance["text"] == "30.58%"
