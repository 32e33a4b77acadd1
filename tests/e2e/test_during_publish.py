"""Pages keep working while the pipeline publishes: snapshots are published in a loop (the real
publish step, `pipelines.lib.publish.publish_snapshot`, from the session's warehouse) while
Chromium walks through every page; no page shows an error."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from pipelines.lib.publish import publish_snapshot
from tests.e2e.app_server import exceptions, login, open_page, serve

pytestmark = pytest.mark.e2e

PAGES = [
    "Översikt",
    "Budget",
    "Utvecklingsinitiativ",
    "Min organisation",
    "Tjänster",
    "Simulering",
    "Datakvalitet",
    "Om data",
]


@pytest.fixture(scope="module")
def warehouse(request: pytest.FixtureRequest) -> Path:
    """The warehouse to publish from: the session's pipeline run, or FORDELA_E2E_WAREHOUSE."""
    given = os.environ.get("FORDELA_E2E_WAREHOUSE")
    if given:
        return Path(given)
    run = request.getfixturevalue("pipeline_run")
    assert run.success
    return run.warehouse


def test_pages_keep_working_while_snapshots_are_published(
    warehouse: Path, browser: Browser, tmp_path: Path
) -> None:
    serving = tmp_path / "serving"
    first = publish_snapshot(warehouse, serving, run_id="e2e-0")
    stop = threading.Event()
    published: list[str] = []
    failures: list[BaseException] = []

    def publish_loop() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            try:
                snapshot = publish_snapshot(warehouse, serving, run_id=f"e2e-{number}", keep=3)
                published.append(snapshot.path.name)
            except BaseException as exc:  # noqa: BLE001 - reported by the test below
                failures.append(exc)
                return
            time.sleep(0.2)

    with serve(first.current, log_path=tmp_path / "streamlit.log") as url:
        page = browser.new_page()
        login(page, url, "data")
        publisher = threading.Thread(target=publish_loop, daemon=True)
        publisher.start()
        try:
            rounds = 0
            seen_pages = 0
            deadline = time.monotonic() + 150
            while (rounds < 1 or len(published) < 2) and time.monotonic() < deadline:
                for title in PAGES:
                    open_page(page, title)
                    seen_pages += 1
                    problems = exceptions(page)
                    assert not problems, (title, problems[0][:500])
                    # Neither the "could not be read" nor the "no snapshot" message.
                    expect(page.locator("[data-testid='stAlertContentError']")).to_have_count(0)
                    expect(page.get_by_text("ingen publicerad ögonblicksbild")).to_have_count(0)
                rounds += 1
        finally:
            stop.set()
            publisher.join(timeout=60)
        page.close()
    assert not failures, failures
    assert len(published) >= 2, "the publish loop did not get to replace the snapshot"
    assert seen_pages >= len(PAGES)
