"""Serve the dashboards with `streamlit run` in a subprocess and drive them with Playwright.

Shared by the end-to-end tests and `make screenshots` (python -m tests.e2e.screenshots).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright

from pipelines.lib.demo.users import DEMO_USERS_FILE

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboards" / "app.py"
CHROMIUM = os.environ.get("FORDELA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The demo city's users (pipelines/lib/demo/users.toml; passwords documented in README.md).
PASSWORDS = {
    "ledning": "ledning-demo",
    "angered": "angered-demo",
    "controller-multi": "multi-demo",
    "data": "data-demo",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(snapshot: Path, *, log_path: Path | None = None, timeout_s: float = 60) -> Iterator[str]:
    """`streamlit run dashboards/app.py` on a free port against `snapshot`; yields the base URL."""
    port = free_port()
    env = os.environ.copy()
    env.update(
        {
            "FORDELA_SNAPSHOT": str(snapshot),
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
            "STREAMLIT_SERVER_HEADLESS": "true",
        }
    )
    # The demo city's users, as `fordela demo-data` writes them.
    env["FORDELA_USERS_FILE"] = str(DEMO_USERS_FILE)
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--server.runOnSave",
            "false",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode} (log: {log_path})")
            try:
                with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit did not start on {base_url} (log: {log_path})")
            time.sleep(0.3)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log_path:
            log.close()  # type: ignore[union-attr]


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless (Playwright's own browser download cannot work here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_for_app(page: Page, timeout_ms: float = 60_000) -> None:
    """Until the script run is over and the page has settled."""
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout_ms
    )
    # A run may start right after the connection; wait until no run is in progress, twice, so a
    # rerun triggered by the first run is also waited for.
    for _ in range(2):
        page.wait_for_timeout(300)
        page.wait_for_selector(
            "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms
        )


def login(page: Page, base_url: str, username: str, path: str = "") -> None:
    """Open the app (optionally at a page path with query string) and log in as a demo user."""
    page.goto(f"{base_url}/{path}")
    wait_for_app(page)
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORDS[username])
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_selector("[data-testid='stSidebarUserContent'] >> text=Logga ut", timeout=30_000)
    wait_for_app(page)


def open_page(page: Page, title: str) -> None:
    """Click a page in the sidebar navigation by its (Swedish) title."""
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first.click()
    wait_for_app(page)


def exceptions(page: Page) -> list[str]:
    """Texts of Streamlit exception boxes on the page (an error page shows one)."""
    return [e.inner_text() for e in page.locator("[data-testid='stException']").all()]


def full_height_screenshot(page: Page, path: Path, width: int = 1440) -> None:
    """A PNG of the whole page: Streamlit scrolls inside its main container, not the document,
    so the viewport is made as tall as that container's content first."""
    height = page.evaluate(
        """() => {
            const main = document.querySelector("[data-testid='stMain']")
                || document.querySelector("section.main");
            const sidebar = document.querySelector("[data-testid='stSidebarContent']");
            return Math.max(
                main ? main.scrollHeight : 0,
                sidebar ? sidebar.scrollHeight : 0,
                document.body.scrollHeight,
            );
        }"""
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(800)  # charts re-layout to the new size
    page.screenshot(path=str(path), full_page=True)
