"""Min organisation under AppTest on the fixture: the statement's figures, the drill-down, the
invoice basis, and that a controller never gets another organisation's rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.lib import excel, queries
from dashboards.lib.auth import Principal
from dashboards.lib.format import format_sek, format_tkr
from tests.dashboards.helpers import all_text, logged_in, metrics
from tests.dashboards.snapshot_fixture import ORGS, expected_statement
from tests.dashboards.test_queries import INJECTIONS

ANGERED = Principal("angered", "controller", "Angered", frozenset({"N131"}))
MANAGEMENT = Principal("ledning", "management", "Ledning")
JUNE = date(2017, 6, 1)
OTHER_ORGS = {code for code, *_ in ORGS} - {"N131"}


def _table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has `column`."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with a column {column!r}")


def test_angered_statement_shows_the_figures_of_its_rows(fixture_snapshot: Path) -> None:
    at = logged_in("angered")  # a controller lands on her statement
    assert not at.exception
    expected = expected_statement("N131")
    shown = metrics(at)
    assert shown["Utfall hittills i år"] == format_tkr(expected["ytd_outcome"])
    assert shown["Utfall juni 2017"] == format_tkr(expected["month_outcome"])
    assert shown["Budget hittills i år"] == format_tkr(expected["ytd_budget"])
    assert shown["Budget helår (P0 2017)"] == format_tkr(expected["year_budget"])
    assert at.selectbox(key="filter_org").options == ["N131 Angered"]
    per_service = _table_with(at, "Månadens utfall")
    assert len(per_service) == 7
    # The organisation's own variance sentences from rpt_budget_vs_outcome_monthly.
    assert per_service["Förklaring"].str.contains("tkr").all()
    per_cc = _table_with(at, "Benämning")
    assert set(per_cc["Kostnadsställe"]) == {"N131-0001", "N131-0002", "N131-0003"}


def test_amounts_in_kronor_are_exact(fixture_snapshot: Path) -> None:
    at = logged_in("angered")
    at.sidebar.toggle(key="show_sek").set_value(True).run()
    assert metrics(at)["Utfall hittills i år"] == format_sek(
        expected_statement("N131")["ytd_outcome"]
    )


def test_earlier_month_gives_year_to_date_through_that_month(fixture_snapshot: Path) -> None:
    at = logged_in("angered")
    at.selectbox(key="filter_month").set_value(date(2017, 3, 1)).run()
    assert not at.exception
    expected = expected_statement("N131", "2017-03-01")
    assert metrics(at)["Utfall hittills i år"] == format_tkr(expected["ytd_outcome"])
    assert metrics(at)["Utfall mars 2017"] == format_tkr(expected["month_outcome"])


def test_cost_centre_filter_and_service_search(fixture_snapshot: Path) -> None:
    at = logged_in("angered")
    at.selectbox(key="statement_cost_centre").set_value("N131-0002").run()
    per_service = _table_with(at, "Månadens utfall")
    # N131-0002 has only the volume-driven services (fixed keys land on the default one).
    assert set(per_service["Tjänst"]) == {"IT-arbetsplats", "Lönehantering"}
    at.selectbox(key="statement_cost_centre").set_value("").run()
    at.text_input(key="statement_search").input("lön").run()
    assert list(_table_with(at, "Månadens utfall")["Tjänst"]) == ["Lönehantering"]


@pytest.mark.parametrize("text", INJECTIONS)
def test_service_search_with_injection_strings_gives_no_extra_rows(
    fixture_snapshot: Path, text: str
) -> None:
    at = logged_in("angered")
    at.text_input(key="statement_search").input(text).run()
    assert not at.exception
    assert not at.error
    # Matched literally: no service name contains these; a lone NUL is dropped (= no filter).
    expected_rows = 7 if not text.replace("\x00", "").strip() else 0
    assert len(_table_with(at, "Månadens utfall")) == expected_rows
    # The statement itself is untouched.
    assert metrics(at)["Utfall hittills i år"] == format_tkr(
        expected_statement("N131")["ytd_outcome"]
    )


@pytest.mark.parametrize("text", INJECTIONS)
def test_statement_query_with_injection_strings(fixture_snapshot: Path, text: str) -> None:
    rows = queries.statement_by_service(ANGERED, "N131", 2017, JUNE, "budget", search=text)
    assert len(rows) == (7 if not text.replace("\x00", "").strip() else 0)
    for principal in (ANGERED, MANAGEMENT):
        assert queries.statement_by_service(principal, text, 2017, JUNE, "budget").empty
        assert queries.invoice_basis(principal, text, 2017, JUNE).empty
        if text.replace("\x00", "").strip():
            assert queries.statement_by_service(
                principal, "N131", 2017, JUNE, "budget", cost_centre=text
            ).empty


def test_drill_down_from_an_amount_to_its_vouchers(fixture_snapshot: Path) -> None:
    at = logged_in("angered")
    at.selectbox(key="filter_service").set_value("IT-ARB").run()
    at.selectbox(key="filter_cc").set_value("N131-0002").run()
    assert not at.exception
    amount = metrics(at)["Belopp"]
    components = _table_with(at, "Del")
    # The components (here: the vouchers' parts, by the allocation engine) sum to the amount.
    assert components.iloc[-1]["Del"] == "Summa"
    assert components.iloc[-1]["Belopp"] == amount
    assert "Delarna summerar exakt till beloppet" in all_text(at)
    vouchers = _table_with(at, "Verifikation")
    assert len(vouchers) == 3 and vouchers["Fil"].str.startswith("ledger/ledger_2017-06").all()
    drivers = _table_with(at, "Slag")
    assert set(drivers["Kostnadsställe"]) == {"N131-0002"}


def test_explanation_sums_exactly_for_every_charge_of_angered(fixture_snapshot: Path) -> None:
    lines = queries.invoice_basis(ANGERED, "N131", 2017, JUNE)
    from dashboards.lib.explain import explain_charge

    keys = lines[lines["period_month"] == JUNE][
        ["service_id", "cost_centre_code"]
    ].drop_duplicates()
    assert len(keys) >= 10
    for service_id, cc in keys.itertuples(index=False):
        result = explain_charge(
            ANGERED,
            fiscal_year=2017,
            scenario="outcome",
            period_month=JUNE,
            service_id=service_id,
            cost_centre_code=cc,
            lang="sv",
        )
        assert result is not None
        assert result.components_total == result.amount_sek, (service_id, cc)
        assert result.note is None
        assert result.has_vouchers


def test_no_explanation_for_another_organisations_cost_centre(fixture_snapshot: Path) -> None:
    from dashboards.lib.explain import explain_charge

    for cc in ("N132-0001", "B110-0001", "N131-0001' or 1=1 --"):
        assert queries.cost_centre_org(ANGERED, cc) is None
        assert (
            explain_charge(
                ANGERED,
                fiscal_year=2017,
                scenario="outcome",
                period_month=JUNE,
                service_id="IT-ARB",
                cost_centre_code=cc,
                lang="sv",
            )
            is None
        )
    assert queries.cost_centre_org(MANAGEMENT, "N132-0001") == "N132"


def test_invoice_basis_workbook_total_is_the_statement_total(fixture_snapshot: Path) -> None:
    rows = queries.invoice_basis(ANGERED, "N131", 2017, JUNE)
    assert set(rows["org_code"]) == {"N131"}
    content = excel.invoice_workbook(
        rows,
        org_code="N131",
        org_name="Angered",
        fiscal_year=2017,
        through_month=JUNE,
        published_at=None,
        lang="sv",
    )
    assert excel.read_total(content) == expected_statement("N131")["ytd_outcome"]
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames == ["Fakturaunderlag", "Per tjänst"]
    sheet = wb["Fakturaunderlag"]
    assert sheet["B2"].value == "N131 Angered"
    header = [c.value for c in sheet[6]]
    assert header[:3] == ["Månad", "Kostnadsställe", "Kostnadsställe, namn"]
    assert sheet.max_row == 6 + len(rows) + 1  # heading block, rows, the total
    per_service = wb["Per tjänst"]
    assert (
        Decimal(str(per_service.cell(per_service.max_row, 3).value)).quantize(Decimal("0.01"))
        == (expected_statement("N131")["ytd_outcome"])
    )


# --- A controller cannot reach another organisation's rows ----------------------------------------


@pytest.mark.parametrize("org", sorted(OTHER_ORGS) + ["B111", "' or 1=1 --", "%"])
def test_url_parameter_cannot_widen_a_controller(fixture_snapshot: Path, org: str) -> None:
    from tests.dashboards.helpers import login, new_app

    at = new_app()
    at.query_params["org"] = org
    at.query_params["year"] = "2017"
    at = login(at.run(), "angered")
    assert not at.exception
    assert at.selectbox(key="filter_org").value == "N131"
    assert metrics(at)["Utfall hittills i år"] == format_tkr(
        expected_statement("N131")["ytd_outcome"]
    )
    assert set(_table_with(at, "Benämning")["Kostnadsställe"]) <= {
        "N131-0001",
        "N131-0002",
        "N131-0003",
    }


@pytest.mark.parametrize("org", ["N132", "B110", "K920"])
def test_crafted_widget_value_cannot_widen_a_controller(fixture_snapshot: Path, org: str) -> None:
    from dashboards.lib.auth import SESSION_KEY, load_users
    from tests.dashboards.helpers import new_app

    at = new_app()
    at.session_state[SESSION_KEY] = load_users()["angered"].principal("demo")
    # As if the browser had sent a widget value outside the options, and the remembered filter
    # had been tampered with too.
    at.session_state["filter_org"] = org
    at.session_state["_filters"] = {"org": org, "year": "2017"}
    at.run()
    assert not at.exception
    assert at.selectbox(key="filter_org").value == "N131"
    assert metrics(at)["Utfall hittills i år"] == format_tkr(
        expected_statement("N131")["ytd_outcome"]
    )
    assert org not in all_text(at)


def test_statement_queries_return_nothing_for_other_organisations(fixture_snapshot: Path) -> None:
    budget = "budget"
    for org in sorted(OTHER_ORGS):
        assert queries.statement_by_service(ANGERED, org, 2017, JUNE, budget).empty
        assert queries.statement_by_cost_centre(ANGERED, org, 2017, JUNE, budget).empty
        assert queries.statement_monthly(ANGERED, org, 2017, budget).empty
        assert queries.invoice_basis(ANGERED, org, 2017, JUNE).empty
        assert queries.charge_lines(ANGERED, org, 2017, "outcome", JUNE, "IT-ARB").empty
        assert queries.org_variance_sentences(ANGERED, org, 2017, JUNE, budget, "sv") == {}
        # ... while management sees them.
        assert not queries.statement_by_service(MANAGEMENT, org, 2017, JUNE, budget).empty
    assert list(queries.organisations_for_year(ANGERED, 2017)["org_code"]) == ["N131"]


def test_management_picker_offers_the_organisations_of_the_year(fixture_snapshot: Path) -> None:
    at = logged_in("ledning", "my_organisation")
    assert len(at.selectbox(key="filter_org").options) == len(ORGS)  # 2017: B111 has ended
    at.selectbox(key="filter_year").set_value(2016).run()
    assert not at.exception
    options = at.selectbox(key="filter_org").options
    assert len(options) == len(ORGS) + 1
    assert "B111 Göteborg Energi Nät AB" in options
    at.selectbox(key="filter_org").set_value("N132").run()
    assert metrics(at)["Utfall hittills i år"] != "–"
