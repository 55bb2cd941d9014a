"""Property-based API testing from the OpenAPI spec: no 5xx, responses match the schema.

Every check runs except the two data-acceptance ones. The profile deliberately accepts
lenient spellings (``"yes"`` for true, ``"30"`` for 30) that a strict reading of the JSON
Schema calls invalid, because people type their facts into forms; and some valid-looking
values are not (an ISCED-F code whose narrow field does not exist), which the schema's
patterns cannot express. Both get a 422 problem document, never a 5xx.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from talentvisa.web.app import create_app


def _app() -> object:
    """The app with a real, migrated case store in a scratch directory."""
    import tempfile
    from pathlib import Path

    from talentvisa.casework.db import make_engine, upgrade
    from talentvisa.casework.service import CaseService, Settings
    from talentvisa.rules.loader import builtin_programs

    scratch = Path(tempfile.mkdtemp(prefix="talentvisa-fuzz-"))
    url = f"sqlite:///{scratch / 'cases.db'}"
    upgrade(url)
    cases = CaseService(
        make_engine(url), builtin_programs()["cn-k"], Settings(storage=scratch / "documents")
    )
    return create_app(cases)


schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _app())


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=25, suppress_health_check=list(HealthCheck), deadline=None)
def test_api_conforms(case: schemathesis.Case) -> None:
    case.call_and_validate(excluded_checks=[negative_data_rejection, positive_data_acceptance])
