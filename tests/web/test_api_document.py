"""POST /api/v1/assess answers with the very document `talentvisa check --json` prints, in
the shape its published schema describes (it is serialised once, not validated again)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from talentvisa.cases import case_files, load_cases
from talentvisa.cli import app
from talentvisa.inputs import check_on
from talentvisa.report import check_document
from talentvisa.rules.evaluator import evaluate
from talentvisa.rules.loader import PROGRAMS_DIR, builtin_programs
from talentvisa.web.schemas import AssessRequest, CheckDocument

ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-11-29"
EXAMPLES = [p for p in sorted((ROOT / "examples").glob("*.yaml")) if p.name not in ("empty.yaml",)]


def _posted(client: TestClient, body: dict[str, object]) -> bytes:
    response = client.post("/api/v1/assess", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    # The published schema holds, strictly: no extra key, no number sent as text.
    CheckDocument.model_validate_json(response.content, strict=True)
    return response.content


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_the_api_and_the_cli_give_one_document(
    client: TestClient, example: Path, lang: str
) -> None:
    profile = json.loads(json.dumps(yaml.safe_load(example.read_text("utf-8")), default=str))
    content = _posted(client, {"profile": profile, "as_of": DAY, "lang": lang})
    printed = CliRunner().invoke(
        app, ["check", str(example), "--as-of", DAY, "--lang", lang, "--json"]
    )
    assert printed.exit_code == 0, printed.output
    assert json.loads(content) == json.loads(printed.output)


def test_every_worked_case_is_answered_in_the_published_shape(client: TestClient) -> None:
    programs = builtin_programs()
    for path in case_files(Path(str(PROGRAMS_DIR))):
        pid = path.name.removesuffix(".cases.yaml")
        for case in load_cases(path):
            body = {
                "profile": json.loads(json.dumps(case.profile, default=str)),
                "as_of": case.as_of.isoformat(),
                "programs": [pid],
            }
            content = _posted(client, body)
            request = AssessRequest.model_validate(body)
            profile = check_on(request.profile, case.as_of, "request", prefix=("profile",))
            expected = check_document(
                [evaluate(profile, programs[pid], case.as_of)], case.as_of, "en", profile
            )
            assert json.loads(content) == json.loads(json.dumps(expected)), case.name


def test_the_published_schema_still_describes_the_assessment(client: TestClient) -> None:
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/assess"]["post"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/CheckDocument"}
