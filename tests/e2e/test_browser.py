"""The dashboards in headless Chromium on a real published snapshot: a controller's statement,
drill-down and invoice basis; what she cannot reach; management's organisations; text filters
fed SQL-injection strings."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from dashboards.lib.excel import read_total
from dashboards.lib.format import format_sek
from tests.e2e.app_server import exceptions, login, open_page, wait_for_app

pytestmark = pytest.mark.e2e
NB = "\u00a0"


def _plain(text: str) -> str:
    return text.replace(NB, " ").strip()


def _metric(page: Page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=label)
    )
    return _plain(metric.first.locator("[data-testid='stMetricValue']").inner_text())


def _combo(page: Page, label: str, nth: int = 0):  # noqa: ANN202 - a Locator
    """A selectbox (a combobox named by its label)."""
    return page.get_by_role("combobox", name=label, exact=True).nth(nth)


def _choose(page: Page, label: str, text: str, nth: int = 0) -> None:
    """Pick the option containing `text` in the selectbox labelled `label`."""
    combo = _combo(page, label, nth)
    combo.click()
    combo.fill(text)
    page.get_by_role("option").filter(has_text=text).first.click()
    wait_for_app(page)


def _selectbox_value(page: Page, label: str, nth: int = 0) -> str:
    return _plain(_combo(page, label, nth).input_value())


def _download(page: Page, key: str, target: Path) -> bytes:
    """Click the download button with widget key `key` (Streamlit marks it .st-key-<key>)."""
    with page.expect_download(timeout=60_000) as info:
        page.locator(f".st-key-{key} button").click()
    info.value.save_as(target)
    return target.read_bytes()


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _toggle_sek(page: Page) -> None:
    page.locator("[data-testid='stSidebar']").get_by_text("Visa belopp i kronor").click()
    wait_for_app(page)


def test_angered_drills_down_to_vouchers_and_downloads_the_invoice_basis(
    app_url: str, browser: Browser, tmp_path: Path
) -> None:
    page = browser.new_page(accept_downloads=True, viewport={"width": 1440, "height": 1000})
    login(page, app_url, "angered")
    expect(page.locator("h1")).to_have_text("Min organisation – vad vi betalar")
    assert _selectbox_value(page, "Organisation") == "N131 Angered"
    _toggle_sek(page)
    page_total = _metric(page, "Utfall hittills i år")
    assert page_total.endswith(" kr")

    # "Varför betalar vi detta?": one amount (IT-arbetsplats, the latest month, a cost centre)
    # broken down to the ledger vouchers behind it.
    _choose(page, "Tjänst", "IT-arbetsplats")
    expect(page.get_by_text("Varför betalar vi detta?")).to_be_visible()
    amount = _metric(page, "Belopp")
    expect(page.get_by_text("Delarna summerar exakt till beloppet")).to_be_visible()
    expect(
        page.get_by_text(f"Delarna summerar exakt till beloppet ({amount.replace(' ', NB)})")
    ).to_be_visible()
    expect(page.get_by_text("Verifikationer i huvudboken")).to_be_visible()
    expect(page.get_by_text("huvudboksrader bakom tjänstens kostnad i månaden")).to_be_visible()
    vouchers = _csv_rows(_download(page, "download_why_vouchers", tmp_path / "vouchers.csv"))
    assert vouchers and all(v["source_file"].startswith("ledger/") for v in vouchers)
    parts = sum(Decimal(v["part_sek"]) for v in vouchers)
    assert format_sek(parts) == amount.replace(" ", NB)  # the vouchers' parts make the amount
    assert not exceptions(page)

    # The invoice basis as Excel: its total is the page's total, to the öre.
    content = _download(page, "download_invoice_xlsx", tmp_path / "fakturaunderlag.xlsx")
    assert content[:2] == b"PK"  # an xlsx is a zip
    assert _plain(format_sek(read_total(content))) == page_total
    # ... and the CSV has the same rows, all Angered's.
    rows = _csv_rows(_download(page, "download_invoice_csv", tmp_path / "fakturaunderlag.csv"))
    assert {r["org_code"] for r in rows} == {"N131"}
    assert _plain(format_sek(sum(Decimal(r["amount_sek"]) for r in rows))) == page_total
    page.close()


@pytest.mark.parametrize(
    "query", ["org=N132&year=2017", "org=B110", "org=N131%27%20or%201%3D1%20--"]
)
def test_angered_cannot_reach_another_organisation_by_url(
    app_url: str, browser: Browser, tmp_path: Path, query: str
) -> None:
    page = browser.new_page(accept_downloads=True)
    # A link with another organisation: the log-in comes first, then her own organisation.
    login(page, app_url, "angered", path=f"min-organisation?{query}")
    expect(page.locator("h1")).to_have_text("Min organisation – vad vi betalar")
    assert _selectbox_value(page, "Organisation") == "N131 Angered"
    assert "org=N131" in page.url
    assert not exceptions(page)
    rows = _csv_rows(_download(page, "download_invoice_csv", tmp_path / "basis.csv"))
    assert rows and {r["org_code"] for r in rows} == {"N131"}
    page.close()


def test_angered_cannot_choose_another_organisation_in_the_widget(
    app_url: str, browser: Browser
) -> None:
    page = browser.new_page()
    login(page, app_url, "angered")
    combo = _combo(page, "Organisation")
    page.locator(".st-key-filter_org button[aria-label='Open']").click()
    options = page.get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("N131 Angered")
    page.keyboard.press("Escape")
    combo.fill("N132")
    expect(page.get_by_role("option").filter(has_text="N132")).to_have_count(0)
    page.keyboard.press("Escape")
    # The pipeline page is not in her menu, nor reachable by address.
    expect(page.locator("[data-testid='stSidebarNav']")).not_to_contain_text("Datakvalitet")
    page.goto(f"{app_url}/datakvalitet")
    wait_for_app(page)
    expect(page.locator("h1").first).not_to_have_text("Datakvalitet och pipeline")
    page.close()


def test_management_sees_every_organisation_of_each_year(
    app_url: str, browser: Browser, tmp_path: Path
) -> None:
    page = browser.new_page(accept_downloads=True, viewport={"width": 1440, "height": 1000})
    login(page, app_url, "ledning", path="min-organisation?year=2016")
    expect(page.get_by_text("Alla organisationer 2016")).to_be_visible()
    # All 63 organisations in 2016 ...
    expect(page.get_by_text("63 organisationer finns 2016")).to_be_visible()
    summary = _csv_rows(_download(page, "download_statement_all_orgs", tmp_path / "orgs2016.csv"))
    assert len(summary) == 63
    assert {"B111", "B115"} <= {r["org_code"] for r in summary}
    # ... and 61 in 2017: B111 and B115 were wound up at the end of 2016.
    _choose(page, "Räkenskapsår", "2017")
    expect(page.get_by_text("61 organisationer finns 2017")).to_be_visible()
    summary = _csv_rows(_download(page, "download_statement_all_orgs", tmp_path / "orgs2017.csv"))
    assert len(summary) == 61 and not {"B111", "B115"} & {r["org_code"] for r in summary}
    assert not exceptions(page)
    page.close()


INJECTIONS = [
    "' or 1=1 --",
    "' OR ''='",
    "'; drop table marts.fct_allocation; --",
    "\\' union select * from marts.fct_allocation --",
]


def test_text_filter_with_sql_injection_shows_no_rows_and_no_error(
    app_url: str, browser: Browser
) -> None:
    page = browser.new_page()
    login(page, app_url, "angered")
    search = page.get_by_label("Sök tjänst (namn, id eller område)")
    for text in INJECTIONS:
        search.fill(text)
        search.press("Enter")
        wait_for_app(page)
        # A search shows only the count of the services it finds (no partial total).
        expect(page.get_by_text("0 tjänster.", exact=True)).to_be_visible()
        assert not exceptions(page), text
        expect(page.locator("[data-testid='stAlertContentError']")).to_have_count(0)
    # The page (and the snapshot) still work afterwards.
    search.fill("")
    search.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("0 tjänster.", exact=True)).to_have_count(0)
    expect(page.get_by_text("tjänster, utfall hittills")).to_be_visible()
    page.close()


def test_every_page_opens_for_each_role(app_url: str, browser: Browser) -> None:
    titles = {
        "Översikt": "Översikt – kostnad mot budget och prognos",
        "Budget": "Budget per tjänsteområde och organisation",
        "Utvecklingsinitiativ": "Utvecklingsinitiativ",
        "Min organisation": "Min organisation – vad vi betalar",
        "Tjänster": "Tjänster",
        "Simulering": "Simulering – vad händer om?",
        "Datakvalitet": "Datakvalitet och pipeline",
        "Om data": "Om data",
    }
    # (The data engineer's walk through every page is in test_during_publish.py.)
    for user in ("angered",):
        page = browser.new_page()
        login(page, app_url, user)
        for link, title in titles.items():
            if link == "Datakvalitet" and user != "data":
                continue
            open_page(page, link)
            expect(page.locator("h1").first).to_have_text(title)
            assert not exceptions(page), (user, link)
        page.close()
