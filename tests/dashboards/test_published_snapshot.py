"""The budget page on a snapshot published by a real in-process pipeline run (no fixture data)."""

from __future__ import annotations

import pytest

from tests.dashboards.helpers import logged_in, metrics

pytestmark = pytest.mark.slow
NB = "\u00a0"


@pytest.fixture
def published(pipeline_run, monkeypatch: pytest.MonkeyPatch):
    assert pipeline_run.success
    monkeypatch.setenv("FORDELA_SNAPSHOT", str(pipeline_run.snapshot))
    return pipeline_run.snapshot


def test_budget_2017_as_published(published) -> None:
    at = logged_in("ledning", "budget")
    assert not at.exception
    # The page opens on the latest adopted budget, named as the city prints it (one name for
    # one plan on every page).
    assert at.selectbox(key="budget_plan_version").value == "Budget 2017"
    assert "P0 2017" not in at.selectbox(key="budget_plan_version").options
    assert metrics(at) == {
        "Totalt": f"689{NB}695,0{NB}tkr",
        "Vidmakthållande": f"620{NB}000,0{NB}tkr",
        "Utveckling": f"69{NB}695,0{NB}tkr",
    }
    groups = at.dataframe[1].value
    assert dict(zip(groups["Grupp"], groups["Belopp"], strict=True)) == {
        "Stadsdelsförvaltningar": f"501{NB}055,0{NB}tkr",
        "Fackförvaltningar": f"156{NB}325,0{NB}tkr",
        "Bolag": f"28{NB}222,0{NB}tkr",
        "Kommunalförbund": f"4{NB}093,0{NB}tkr",
    }
    # 61 organisations are charged in 2017: B111 and B115 were wound up at the end of 2016.
    organisations = at.dataframe[-1].value
    assert len(organisations) == 61


def test_controller_of_angered_sees_only_angered(published) -> None:
    at = logged_in("angered", "budget")
    assert not at.exception
    organisations = at.dataframe[-1].value
    assert len(organisations) == 1
    assert organisations.iloc[0].astype(str).str.contains("Angered").any()


@pytest.mark.parametrize("username", ["ledning", "angered", "data"])
def test_every_page_runs_on_the_published_snapshot(published, username: str) -> None:
    from dashboards.lib.navigation import PAGES as SPECS
    from tests.dashboards.helpers import DEMO_USERS, PAGES, open_page

    role = DEMO_USERS[username][1]
    # The pages the role may open (the registry says which; the rest are not registered for it).
    visible = {spec.path for spec in SPECS if role in spec.roles}
    at = logged_in(username)
    assert not at.exception
    for page, path in PAGES.items():
        if path not in visible:
            continue
        open_page(at, page)
        assert not at.exception, (page, at.exception[0].message if at.exception else "")
        assert not at.error, (page, [e.value for e in at.error])


def test_angered_statement_matches_its_allocation_rows(published) -> None:
    from datetime import date

    import duckdb

    from dashboards.lib.format import format_tkr

    at = logged_in("angered")
    month = at.selectbox(key="filter_month").value
    assert isinstance(month, date)
    with duckdb.connect(str(published), read_only=True) as con:
        (expected,) = con.execute(
            "select sum(amount_sek) from marts.fct_allocation where consumer_org_code = 'N131' "
            "and scenario = 'outcome' and fiscal_year = ? and period_month <= ?",
            [month.year, month],
        ).fetchone()
    assert metrics(at)["Utfall hittills i år"] == format_tkr(expected)


def test_management_picker_offers_63_organisations_in_2016_and_61_in_2017(published) -> None:
    at = logged_in("ledning", "my_organisation")
    at.selectbox(key="filter_year").set_value(2016).run()
    assert len(at.selectbox(key="filter_org").options) == 63
    at.selectbox(key="filter_year").set_value(2017).run()
    options = at.selectbox(key="filter_org").options
    assert len(options) == 61
    assert not any(o.startswith(("B111", "B115")) for o in options)
