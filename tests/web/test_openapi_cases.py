"""The case-work API's contract states what it accepts: every request field has a type,
every text and list a limit, and what is required says so (a finding's note, a refusal's
grounds), so a client or a fuzzer learns it from the schema, not from a 422."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

CASE_BODIES = ("Draft", "Act", "FindingIn", "ReadingIn", "DecisionIn", "SignatureIn")
BOUNDED_PATTERN = re.compile(r"^\^[^*+]*\$$")  # anchored, no unbounded repetition


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    schema: dict[str, Any] = client.get("/api/v1/openapi.json").json()
    return schema


@pytest.fixture(scope="module")
def client() -> TestClient:
    from talentvisa.web.app import create_app

    return TestClient(create_app())


def _unbounded(
    spec: dict[str, Any], schema: dict[str, Any], where: str, seen: set[str]
) -> list[str]:
    """Every place under ``schema`` with no type, or a text, list or map with no limit."""
    found: list[str] = []
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            found += _unbounded(spec, spec["components"]["schemas"][name], name, seen)
        return found
    for key in ("anyOf", "allOf", "oneOf"):
        for i, part in enumerate(schema.get(key, [])):
            found += _unbounded(spec, part, f"{where}|{i}", seen)
    if any(k in schema for k in ("anyOf", "allOf", "oneOf", "enum", "const")):
        return found
    kind = schema.get("type")
    if kind is None:
        return [*found, f"{where}: no type"]
    if kind == "string" and not (
        "maxLength" in schema
        or "format" in schema
        or BOUNDED_PATTERN.match(schema.get("pattern", ""))
    ):
        found.append(f"{where}: text without a length limit")
    if kind == "array":
        if "maxItems" not in schema:
            found.append(f"{where}: list without a limit")
        found += _unbounded(spec, schema.get("items", {}), f"{where}[]", seen)
    if kind == "object":
        for name, prop in schema.get("properties", {}).items():
            found += _unbounded(spec, prop, f"{where}.{name}", seen)
        for prop in schema.get("patternProperties", {}).values():
            found += _unbounded(spec, prop, f"{where}.*", seen)
        if not schema.get("properties") and "maxProperties" not in schema:
            found.append(f"{where}: a map without a limit")
    return found


@pytest.mark.parametrize("name", CASE_BODIES)
def test_every_case_work_field_has_a_type_and_a_limit(spec: dict[str, Any], name: str) -> None:
    """The profile is the checker's own schema (its free text is checked below; its codes
    are checked by validators the schema does not spell out), so it is not walked here."""
    schema = spec["components"]["schemas"][name]
    assert not _unbounded(spec, schema, name, {name, "Profile"})


def test_the_profile_is_the_checkers_and_its_text_is_limited(spec: dict[str, Any]) -> None:
    profile = spec["components"]["schemas"]["Draft"]["properties"]["profile"]
    assert profile["allOf"] == [{"$ref": "#/components/schemas/Profile"}]
    schemas = spec["components"]["schemas"]
    for model, field in (
        ("Institution", "name"),
        ("Employer", "name"),
        ("Registration", "occupation"),
        ("Registration", "body"),
        ("VisaHeld", "category"),
    ):
        text = schemas[model]["properties"][field]["anyOf"][0]
        assert text["type"] == "string" and text["maxLength"] == 200, (model, field)


def test_what_is_required_is_stated(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    finding = schemas["FindingIn"]
    assert set(finding["required"]) == {"criterion", "met", "note"}
    assert finding["properties"]["note"]["minLength"] == 1
    decision = schemas["DecisionIn"]
    assert decision["if"]["properties"]["outcome"] == {"const": "refuse"}
    assert decision["then"]["required"] == ["reasons"]
    assert decision["then"]["properties"]["reasons"]["minItems"] == 1
    assert decision["properties"]["reasons"]["items"]["enum"][0] == "art21-1"
    assert schemas["ReadingIn"]["properties"]["note"]["minLength"] == 1
