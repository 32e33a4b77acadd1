"""End-to-end fixtures: the app served with `streamlit run` on a real published snapshot (the
session's pipeline run on the small demo city), and headless Chromium through Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.app_server import launch, serve


@pytest.fixture(scope="session")
def published_snapshot(request: pytest.FixtureRequest) -> Path:
    """The snapshot of the session's pipeline run (tests/conftest.py), or an already published
    one named by FORDELA_E2E_SNAPSHOT (quicker while working on the pages)."""
    given = os.environ.get("FORDELA_E2E_SNAPSHOT")
    if given:
        return Path(given)
    run = request.getfixturevalue("pipeline_run")
    assert run.success, "the pipeline run failed; see the test log"
    return run.snapshot


@pytest.fixture(scope="session")
def app_url(published_snapshot: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with serve(published_snapshot, log_path=log) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()
