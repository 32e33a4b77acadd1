"""`make screenshots`: a PNG of every dashboard page in docs/screenshots/.

Serves the app on the published snapshot (`FORDELA_SNAPSHOT`, else data/serving/current.duckdb;
run `make pipeline` first), or on the test fixture when there is none, logs in with the demo
users and captures each page at full height in headless Chromium.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.e2e.app_server import (
    ROOT,
    exceptions,
    full_height_screenshot,
    launch,
    login,
    serve,
    wait_for_app,
)

OUT = ROOT / "docs" / "screenshots"

# (file name, demo user ("" = signed out), address of the page with its filters, action)
SHOTS: list[tuple[str, str, str, Callable[[Page], None] | None]] = [
    ("login.png", "", "", None),
    ("overview.png", "ledning", "oversikt", None),
    ("budget.png", "ledning", "budget", None),
    ("initiatives.png", "ledning", "utvecklingsinitiativ", None),
    ("my_organisation.png", "angered", "min-organisation?service=IT-ARB", None),
    ("services.png", "angered", "tjanster?service=IT-ARB", None),
    (
        "what_if.png",
        "ledning",
        "simulering?service=HR-LON",
        lambda page: _choose_radio(page, "Lika delar"),
    ),
    ("data_quality.png", "data", "datakvalitet", None),
    ("about_data.png", "data", "om-data", None),
]


def _choose_radio(page: Page, label: str) -> None:
    page.locator("[data-testid='stRadio'] label").filter(has_text=label).first.click()
    wait_for_app(page)


def _snapshot() -> Path:
    configured = os.environ.get("FORDELA_SNAPSHOT")
    if configured:
        return Path(configured)
    data_dir = Path(os.environ.get("FORDELA_DATA_DIR", ROOT / "data"))
    published = data_dir / "serving" / "current.duckdb"
    if published.exists():
        return published
    from tests.dashboards.snapshot_fixture import build_snapshot

    fixture = Path(tempfile.mkdtemp(prefix="fordela-shots-")) / "current.duckdb"
    print(f"No published snapshot at {published}; using the test fixture ({fixture}).")
    return build_snapshot(fixture)


def main() -> int:
    snapshot = _snapshot()
    OUT.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with serve(snapshot) as base_url, sync_playwright() as pw:
        browser = launch(pw)
        try:
            for name, user, path, action in SHOTS:
                context = browser.new_context(
                    viewport={"width": 1440, "height": 1000}, locale="sv-SE"
                )
                page = context.new_page()
                if user:
                    login(page, base_url, user, path)
                else:
                    page.goto(base_url)
                    wait_for_app(page)
                if action is not None:
                    action(page)
                page.wait_for_timeout(1500)  # charts finish drawing
                found = exceptions(page)
                if found:
                    problems.append(f"{name}: {found[0][:200]}")
                full_height_screenshot(page, OUT / name)
                print(f"wrote {OUT / name}")
                context.close()
        finally:
            browser.close()
    for problem in problems:
        print(f"ERROR on {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
