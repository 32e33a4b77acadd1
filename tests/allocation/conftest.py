"""Keep the shared pipeline run from leaking its warehouse into later test modules.

The dbt assets set FORDELA_WAREHOUSE for the process when they run (pipelines/defs/transform/
dbt.py), so once these tests have triggered the session fixture `pipeline_run`, every later
test would write to that run's warehouse. Restore the variable after each module here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

_WAREHOUSE_AT_START = os.environ.get("FORDELA_WAREHOUSE")


@pytest.fixture(autouse=True, scope="module")
def _restore_warehouse_variable() -> Iterator[None]:
    yield
    if _WAREHOUSE_AT_START is None:
        os.environ.pop("FORDELA_WAREHOUSE", None)
    else:
        os.environ["FORDELA_WAREHOUSE"] = _WAREHOUSE_AT_START
