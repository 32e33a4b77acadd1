"""Every page for every role under AppTest: it runs, shows its title, offers a download for
every table, and a role only reaches the pages it may see."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboards.helpers import DEMO_USERS, PAGES, all_text, logged_in, open_page, titles

TITLES = {
    "overview": "Översikt – kostnad mot budget och prognos",
    "budget": "Budget per tjänsteområde och organisation",
    "initiatives": "Utvecklingsinitiativ",
    "my_organisation": "Min organisation – vad vi betalar",
    "services": "Tjänster",
    "what_if": "Simulering – vad händer om?",
    "data_quality": "Datakvalitet och pipeline",
    "month_close": "Månadsbokslut",
    "about_data": "Om data",
}
TITLES_EN = {
    "overview": "Overview – cost against budget and forecast",
    "budget": "Budget per service area and organisation",
    "initiatives": "Development initiatives",
    "my_organisation": "My organisation – what we pay",
    "services": "Services",
    "what_if": "What-if – what happens if?",
    "data_quality": "Data quality and pipeline",
    "month_close": "Month close",
    "about_data": "About the data",
}
PIPELINE_PAGES = {"data_quality"}
# The month close of the whole city: management and data engineers, not controllers.
CLOSE_PAGES = {"month_close"}


def _downloads(at: AppTest) -> int:
    return len(at.get("download_button"))


def _page_is_healthy(at: AppTest, page: str) -> None:
    assert not at.exception, at.exception[0].message if at.exception else ""
    assert titles(at) == [TITLES[page]]
    assert not at.error, [e.value for e in at.error]
    # Every table is downloadable: a download button under each one (some pages add more).
    assert _downloads(at) >= len(at.dataframe) > 0


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("username", sorted(DEMO_USERS))
def test_every_page_for_every_role(any_snapshot: Path, username: str, page: str) -> None:
    role = DEMO_USERS[username][1]
    at = logged_in(username)
    if (page in PIPELINE_PAGES and role != "data_engineer") or (
        page in CLOSE_PAGES and role == "controller"
    ):
        # Not registered for this role: the page cannot even be switched to.
        with pytest.raises(ValueError):
            at.switch_page(PAGES[page])
        return
    open_page(at, page)
    _page_is_healthy(at, page)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_page_in_english(fixture_snapshot: Path, page: str) -> None:
    at = logged_in("data")
    at.sidebar.radio(key="lang").set_value("en").run()
    open_page(at, page)
    assert not at.exception
    assert titles(at) == [TITLES_EN[page]]
    if page not in ("about_data", "data_quality"):
        cells = [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()]
        assert "kSEK" in all_text(at) or any("kSEK" in c for c in cells)
        assert not any("tkr" in c for c in cells)


@pytest.mark.parametrize("page", sorted(set(PAGES) - PIPELINE_PAGES))
def test_every_page_in_kronor(fixture_snapshot: Path, page: str) -> None:
    at = logged_in("ledning")
    at.sidebar.toggle(key="show_sek").set_value(True).run()
    open_page(at, page)
    assert not at.exception
    if page not in ("about_data",):
        assert "\u00a0kr" in all_text(at) or any(
            "\u00a0kr" in str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()
        )


def test_navigation_sections_follow_the_audience(fixture_snapshot: Path) -> None:
    from dashboards.lib.auth import Principal
    from dashboards.lib.navigation import pages_for

    management = pages_for(Principal("l", "management", "L"))
    data = pages_for(Principal("d", "data_engineer", "D"))
    controller = pages_for(Principal("c", "controller", "C", frozenset({"N131"})))
    assert [p.url_path for p in management["management"]] == [
        "oversikt",
        "budget",
        "utvecklingsinitiativ",
        "manadsbokslut",
    ]
    assert [p.url_path for p in data["management"]][-1] == "manadsbokslut"
    assert "manadsbokslut" not in [p.url_path for p in controller["management"]]
    assert [p.url_path for p in management["controller"]] == [
        "min-organisation",
        "tjanster",
        "simulering",
    ]
    # The pipeline page is the data engineer's only.
    assert [p.url_path for p in data["data"]] == ["datakvalitet", "om-data"]
    assert [p.url_path for p in management["data"]] == ["om-data"]
    assert [p.url_path for p in controller["data"]] == ["om-data"]


def test_missing_snapshot_gives_the_message_on_every_page(missing_snapshot: Path) -> None:
    at = logged_in("data")
    for page in PAGES:
        open_page(at, page)
        assert not at.exception, page
        assert "ingen publicerad ögonblicksbild" in all_text(at), page
