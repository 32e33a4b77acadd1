"""What the overview, services, initiatives, what-if and data-quality pages show on the fixture,
and the filters that are remembered across pages and carried in the URL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.lib.format import format_signed_amount, format_tkr, format_unit_price
from tests.dashboards.helpers import all_text, logged_in, login, metrics, new_app, open_page
from tests.dashboards.snapshot_fixture import (
    CHECK_ROWS,
    OUTCOME_2017_POOLS,
    QUARANTINE_ROWS,
    SERVICE_POOLS,
    _allocation_rows,
)
from tests.dashboards.test_queries import INJECTIONS


def _table_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page that has all of `columns`."""
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError(f"no table with the columns {columns!r}")


def _outcome_2017(through_month: int = 6) -> Decimal:
    return sum(
        (sum(p[:through_month], Decimal(0)) for p in OUTCOME_2017_POOLS.values()), Decimal(0)
    )


def _p0_2017_to(month: str) -> Decimal:
    rows, _, _ = _allocation_rows("P0 2017", 2017, "budget")
    return sum((r[13] for r in rows if r[0] <= month), Decimal(0))


# --- Overview ------------------------------------------------------------------------------------


def test_overview_year_to_date_against_budget_and_forecast(fixture_snapshot: Path) -> None:
    at = logged_in("ledning")
    assert not at.exception
    shown = metrics(at)
    outcome, budget = _outcome_2017(), _p0_2017_to("2017-06-01")
    assert shown["Utfall hittills i år"] == format_tkr(outcome)
    assert shown["Budget hittills i år"] == format_tkr(budget)
    assert shown["Avvikelse mot budget"] == format_signed_amount(outcome - budget)
    assert shown["Budget helår (P0 2017)"] == format_tkr(
        sum(SERVICE_POOLS["P0 2017"].values(), Decimal(0))
    )
    # No official forecast for 2017 in the fixture: the computed run-rate forecast (flat: x 12/6).
    assert shown["Prognos helår (beräknad)"] == format_tkr(outcome * 2)
    areas = _table_with(at, "Avvikelse %")
    assert list(areas["Tjänsteområde"]) == ["Ekonomi", "HR", "IT-tjänster", "Vård och omsorg"]
    # The largest variances with the sentences of rpt_budget_vs_outcome_monthly.
    variances = _table_with(at, "Tjänst", "Utfall hittills")
    assert variances.iloc[0]["Tjänst"] == "IT-arbetsplats"
    text = all_text(at)
    assert "Varför avviker det?" in text
    assert "IT-arbetsplats +7" in text and "volym" in text
    assert "Initiativ 4" in text


def test_overview_of_a_complete_year_with_an_official_forecast(fixture_snapshot: Path) -> None:
    at = logged_in("ledning")
    at.selectbox(key="filter_year").set_value(2016).run()
    assert not at.exception
    shown = metrics(at)
    assert "Prognos helår (P1 2016)" in shown
    assert "Utfall helår" in shown
    areas = _table_with(at, "Avvikelse %")
    assert "Ej fördelat" in list(areas["Tjänsteområde"])
    assert "Prognos helår" in areas.columns


def test_overview_month_changes_the_year_to_date(fixture_snapshot: Path) -> None:
    at = logged_in("ledning")
    at.selectbox(key="filter_month").set_value(date(2017, 2, 1)).run()
    assert metrics(at)["Utfall hittills i år"] == format_tkr(_outcome_2017(2))


# --- Filters remembered across pages, and the URL -------------------------------------------------


def test_filters_are_remembered_across_pages(fixture_snapshot: Path) -> None:
    at = logged_in("ledning")
    at.selectbox(key="filter_year").set_value(2016).run()
    at.selectbox(key="filter_month").set_value(date(2016, 9, 1)).run()
    for page in ("my_organisation", "services", "what_if", "overview"):
        open_page(at, page)
        assert not at.exception, page
        assert at.selectbox(key="filter_year").value == 2016, page
    open_page(at, "my_organisation")
    assert at.selectbox(key="filter_month").value == date(2016, 9, 1)
    # The service chosen on one page is the one on the next.
    open_page(at, "services")
    at.selectbox(key="filter_service").set_value("HR-LON").run()
    open_page(at, "what_if")
    assert at.selectbox(key="filter_service").value == "HR-LON"
    # Amounts in kronor: one switch for every page.
    at.sidebar.toggle(key="show_sek").set_value(True).run()
    open_page(at, "overview")
    assert metrics(at)["Utfall hittills i år"].endswith("\u00a0kr")


def test_a_shared_link_opens_with_its_filters(fixture_snapshot: Path) -> None:
    at = new_app()
    at.query_params.update({"year": "2016", "month": "2016-03", "service": "HR-LON"})
    at = login(at.run(), "ledning")
    assert at.selectbox(key="filter_year").value == 2016
    assert at.selectbox(key="filter_month").value == date(2016, 3, 1)
    open_page(at, "services")
    assert at.selectbox(key="filter_service").value == "HR-LON"
    assert (
        at.query_params.get("service") == ["HR-LON"] or at.query_params.get("service") == "HR-LON"
    )


@pytest.mark.parametrize("value", ["1999", "2017; drop", "' or 1=1 --", "x" * 500])
def test_nonsense_in_the_url_is_ignored(fixture_snapshot: Path, value: str) -> None:
    at = new_app()
    at.query_params.update({"year": value, "month": value, "org": value, "service": value})
    at = login(at.run(), "ledning")
    assert not at.exception
    assert at.selectbox(key="filter_year").value == 2017


# --- Services ------------------------------------------------------------------------------------


def test_services_page_for_a_price_list_service(fixture_snapshot: Path) -> None:
    at = logged_in("ledning", "services")
    at.selectbox(key="filter_service").set_value("IT-ARB").run()
    assert not at.exception
    text = all_text(at)
    assert "IT-arbetsplats (IT-ARB)" in text
    assert "Prislista (volym × pris)" in text and "WORKPLACE" in text
    consumers = _table_with(at, "Utfall helår")
    assert len(consumers) == 9
    # 2017 has no delivered price: it charges the price the 2016 settlement gives, and says so.
    price_2017 = format_unit_price(Decimal("285.94"))
    assert f"Enhetspris 2017: **{price_2017}** (beräknat från prisavräkningen 2016)" in text
    settlement = _table_with(at, "Över-/underskott")
    assert settlement["Över-/underskott"].iloc[0] == format_signed_amount(Decimal("-1234567.90"))
    assert list(settlement["Förs till år"]) == ["2017", "2018"]
    assert list(settlement["Enhetspris"]) == [format_unit_price(Decimal("284.1234")), price_2017]
    assert list(settlement["Prisets ursprung"]) == [
        "levererat i prislistan",
        "beräknat från prisavräkningen 2016",
    ]
    assert list(settlement["Nästa års beräknade enhetspris"]) == [price_2017, "–"]
    units = _table_with(at, "Enhetskostnad")
    assert len(units) == 12 + 6  # every month with outcome: 2016, and January to June 2017


def test_services_page_shows_renames_and_moves(fixture_snapshot: Path) -> None:
    at = logged_in("ledning", "services")
    at.selectbox(key="filter_service").set_value("EK-RED").run()
    text = all_text(at)
    assert "Namnbyte 1 januari 2017: UBW/Agresso → Redovisning, Drift" in text
    history = _table_with(at, "Tidigare namn")
    assert list(history["Tjänst"]) == ["UBW/Agresso", "Redovisning, Drift"]
    lineage = _table_with(at, "Förändring")
    assert list(lineage["Förändring"]) == ["namnbyte"]


def test_a_controller_sees_only_her_consumption_of_a_service(fixture_snapshot: Path) -> None:
    at = logged_in("angered", "services")
    at.selectbox(key="filter_service").set_value("HR-LON").run()
    consumers = _table_with(at, "Utfall helår")
    assert list(consumers["Kod"]) == ["N131"]
    assert "Visar bara dina organisationer (N131)" in all_text(at)


# --- Initiatives and KPIs ------------------------------------------------------------------------


def test_initiatives_page_plan_against_spend_and_kpi(fixture_snapshot: Path) -> None:
    at = logged_in("angered", "initiatives")
    assert not at.exception
    initiatives = _table_with(at, "Plan 2017")
    assert set(initiatives["Initiativ"]) == {"VO-2", "EH-1", "IT-4", "HR-2"}
    assert {"Plan 2018", "Plan 2019", "Plan 2020", "Upparbetat 2017"} <= set(initiatives.columns)
    vo2 = initiatives.set_index("Initiativ").loc["VO-2"]
    assert vo2["Plan 2017"] == format_tkr(Decimal("30000450")) and vo2["Status"] == "pågår"
    text = all_text(at)
    assert "Andel e-fakturor" in text and "Mål: 80,0\u00a0%" in text
    # The KPI per organisation: the controller sees the city's and her own, not N132's.
    kpi_rows = _table_with(at, "Värde")
    assert set(kpi_rows["Organisation"]) == {"N131 Angered"}
    at.text_input(key="initiatives_search").input("faktur").run()
    assert list(_table_with(at, "Plan 2017")["Initiativ"]) == ["EH-1"]


@pytest.mark.parametrize("text", INJECTIONS)
def test_initiative_search_with_injection_strings(fixture_snapshot: Path, text: str) -> None:
    at = logged_in("ledning", "initiatives")
    at.text_input(key="initiatives_search").input(text).run()
    assert not at.exception
    needle = text.replace("\x00", "").strip().lower()
    names = {
        "VO-2": "Digitala tjänster inom vård och omsorg",
        "EH-1": "Övergång till 100% elektroniska leverantörsfakturor",
        "IT-4": "Förenkling och automatisering av konton och behörigheter",
        "HR-2": "Förmånsportal",
    }
    # Matched literally ("%" is in one name); never more than that.
    expected = {i for i, n in names.items() if needle in i.lower() or needle in n.lower()}
    assert set(_table_with(at, "Plan 2017")["Initiativ"]) == expected


# --- What-if -------------------------------------------------------------------------------------


def test_what_if_equal_shares_reallocates_the_whole_pool(fixture_snapshot: Path) -> None:
    at = logged_in("ledning", "what_if")
    at.selectbox(key="filter_service").set_value("EK-RED").run()
    at.radio(key="whatif_basis").set_value("equal").run()
    assert not at.exception
    result = _table_with(at, "Simulerat")
    assert len(result) == 9
    # Nine organisations, 38 396 049,99 kr: 4 266 227,78 each, one öre more for four of them.
    assert set(result["Simulerat"]) == {
        format_tkr(Decimal("4266227.78")),
        format_tkr(Decimal("4266227.77")),
    }
    assert metrics(at)["Över-/underskott"] == "0,0\u00a0tkr"


def test_what_if_for_a_controller_shows_only_her_organisation(fixture_snapshot: Path) -> None:
    at = logged_in("angered", "what_if")
    at.selectbox(key="filter_service").set_value("HR-LON").run()
    at.number_input(key="whatif_pool_pct").set_value(10).run()
    assert not at.exception
    result = _table_with(at, "Simulerat")
    assert list(result["Kod"]) == ["N131"]
    assert "Förändring för dina organisationer" in metrics(at)


# --- Data quality --------------------------------------------------------------------------------


def test_data_quality_page_shows_runs_checks_quarantine_and_reconciliation(
    fixture_snapshot: Path,
) -> None:
    at = logged_in("data", "data_quality")
    assert not at.exception
    text = all_text(at)
    assert "Kontroller godkända 4 / 5" in text
    assert "Rader i karantän 3" in text
    runs = _table_with(at, "Blockerande fel")
    assert list(runs["Körning"]) == ["fixture-run", "fixture-run-0"]
    assert list(runs["Status"]) == ["publicerad", "stoppad av kontroll"]
    freshness = _table_with(at, "Perioder")
    assert freshness.set_index("Källa (tabell)").loc["ledger", "Perioder"] == "2017-01 – 2017-03"
    quarantine = _table_with(at, "Orsak och åtgärd")
    assert quarantine["Orsak och åtgärd"].str.contains("unknown cost centre 'N999-0001'").sum() == 2
    reconciliation = _table_with(at, "Känt fel i källan")
    assert "Delsumman för IT-utveckling tryckt som 0 i Bilaga 2" in set(
        reconciliation["Känt fel i källan"]
    )


def test_data_quality_page_says_when_no_reference_pack_was_delivered(
    fixture_snapshot: Path,
) -> None:
    fixture_snapshot.chmod(0o644)
    with duckdb.connect(str(fixture_snapshot)) as con:
        con.execute("delete from marts.rpt_reconciliation_published")
    fixture_snapshot.chmod(0o444)
    at = logged_in("data", "data_quality")
    assert not at.exception
    assert "Inget referenspaket levererat" in all_text(at)
    assert not any("Känt fel i källan" in t.value.columns for t in at.dataframe)


@pytest.mark.parametrize("text", INJECTIONS)
def test_quarantine_and_check_search_with_injection_strings(
    fixture_snapshot: Path, text: str
) -> None:
    at = logged_in("data", "data_quality")
    at.text_input(key="dq_quarantine_search").input(text).run()
    at.text_input(key="dq_check_search").input(text).run()
    assert not at.exception
    assert not at.error
    needle = text.replace("\x00", "").strip().lower()
    # Matched literally: "_" is in file and check names, so it finds rows; nothing more.
    quarantined = [
        r
        for r in QUARANTINE_ROWS
        if any(needle in str(v).lower() for v in (r[0], r[4], r[6], r[7]))
    ]
    checks = [
        r
        for r in CHECK_ROWS
        if r[0] == "fixture-run"
        and any(needle in str(v or "").lower() for v in (r[2], r[3], r[6], r[7]))
    ]
    assert len(_table_with(at, "Orsak och åtgärd")) == len(quarantined)
    assert len(_table_with(at, "Förväntan")) == len(checks)
