"""The month close on the dashboards: Månadsbokslut shows closed / open months, the restatements
with their causes, the export and the audit; Min organisation shows a controller her own
organisations' restatements and export lines only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboards.lib import queries
from dashboards.lib.auth import Principal
from dashboards.lib.queries.close import NotForThisRole
from tests.dashboards.helpers import all_text, logged_in
from tests.dashboards.snapshot_fixture import (
    CAUSE_FEB,
    CAUSE_JAN,
    FROZEN_RESTATEMENTS,
    INVOICE_LINES,
    ORGS,
    PENDING_RESTATEMENTS,
)
from tests.dashboards.test_queries import ANGERED, DATA, INJECTIONS, MANAGEMENT, MULTI

FEB = date(2017, 2, 1)


def table(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table on the page with all of `columns` (as shown, formatted)."""
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError(f"no table with the columns {columns}")


ALL_CODES = {o[0] for o in ORGS}


def _write_export(data_dir: Path) -> Path:
    """Export files of 2017-02 as `fordela close` leaves them under <data dir>/exports/."""
    folder = data_dir / "exports" / "2017-02"
    (folder / "fakturaunderlag").mkdir(parents=True)
    (folder / "internfakturering_2017-02.si").write_bytes(
        b"#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n"
    )
    for org in ("B110", "N131", "N132"):
        (folder / "fakturaunderlag" / f"{org}.csv").write_text(
            f"org_code\n{org}\n", encoding="utf-8"
        )
        (folder / "fakturaunderlag" / f"{org}.xlsx").write_bytes(b"PK")
    (data_dir / "exports" / "secret.csv").write_text("not an export\n", encoding="utf-8")
    return folder


# --- Query layer ---------------------------------------------------------------------------------


def test_restatements_pending_and_booked_with_causes(fixture_snapshot: Path) -> None:
    rows = queries.restatements(MANAGEMENT)
    pending = rows[~rows["is_booked"]]
    booked = rows[rows["is_booked"]]
    assert sorted(pending["amount_sek"]) == sorted(r[-1] for r in PENDING_RESTATEMENTS)
    assert sorted(booked["amount_sek"]) == sorted(r[-1] for r in FROZEN_RESTATEMENTS)
    assert set(pending["cause_sv"]) == {CAUSE_FEB[0]} and set(pending["cause_en"]) == {CAUSE_FEB[1]}
    assert set(booked["cause_sv"]) == {CAUSE_JAN[0]}
    assert set(pending["restated_month"].map(queries.as_date)) == {FEB}


@pytest.mark.parametrize("principal", [ANGERED, MULTI], ids=["angered", "multi"])
def test_a_controller_gets_only_her_restatements_and_export_lines(
    fixture_snapshot: Path, principal: Principal
) -> None:
    allowed = principal.allowed_orgs or frozenset()
    assert set(queries.restatements(principal)["consumer_org_code"]) == allowed & {
        "N131",
        "N132",
        "B110",
    }
    assert set(queries.invoice_lines(principal, FEB)["consumer_org_code"]) == allowed & {
        "N131",
        "N132",
        "B110",
    }
    for org in sorted(ALL_CODES) + INJECTIONS:
        restated = queries.restatements(principal, org)
        lines = queries.invoice_lines(principal, FEB, org)
        if org in allowed:  # N131 and N132 have both in the fixture
            assert not restated.empty and not lines.empty, org
        else:
            assert restated.empty and lines.empty, org


def test_management_gets_every_line_and_the_sums_are_exact(fixture_snapshot: Path) -> None:
    lines = queries.invoice_lines(MANAGEMENT, FEB)
    assert len(lines) == len(INVOICE_LINES)
    assert sum(lines["amount_sek"], Decimal(0)) == sum((r[-1] for r in INVOICE_LINES), Decimal(0))
    assert set(queries.restatements(MANAGEMENT)["consumer_org_code"]) == {"N131", "N132", "B110"}


@pytest.mark.parametrize("principal", [ANGERED, MULTI], ids=["angered", "multi"])
def test_the_whole_city_s_close_is_not_for_controllers(
    fixture_snapshot: Path, principal: Principal
) -> None:
    for call in (
        lambda: queries.close_months(principal),
        lambda: queries.close_audit(principal),
        lambda: queries.export_files(principal, FEB),
    ):
        with pytest.raises(NotForThisRole):
            call()
    # The status of a month (no amounts) is for everyone.
    status = queries.month_status(principal, 2017)
    assert (
        dict(zip(status["period_month"].map(queries.as_date), status["status"], strict=True))[FEB]
        == "closed"
    )


def test_export_files_only_the_month_s_and_only_her_organisation_s(
    fixture_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORDELA_DATA_DIR", str(tmp_path))
    _write_export(tmp_path)
    names = [f.name for f in queries.export_files(MANAGEMENT, FEB)]
    assert names[0] == "internfakturering_2017-02.si"
    assert set(names[1:]) == {
        f"{o}{s}" for o in ("B110", "N131", "N132") for s in (".csv", ".xlsx")
    }
    assert [f.name for f in queries.export_files(DATA, FEB)] == names
    own = queries.org_export_files(ANGERED, FEB, "N131")
    assert [f.name for f in own] == [
        "fakturaunderlag_N131_2017-02.csv",
        "fakturaunderlag_N131_2017-02.xlsx",
    ]
    for org in ["N132", "B110", "../secret", "../../exports/secret", *INJECTIONS]:
        assert queries.org_export_files(ANGERED, FEB, org) == [], org
    # Management may download any organisation's file, never a path outside the folder.
    assert len(queries.org_export_files(MANAGEMENT, FEB, "N132")) == 2
    assert queries.org_export_files(MANAGEMENT, FEB, "../secret") == []


# --- Pages ---------------------------------------------------------------------------------------


def test_month_close_page_shows_status_restatements_and_audit(fixture_snapshot: Path) -> None:
    at = logged_in("ledning", "month_close")
    assert not at.exception
    months = table(at, "Stängd av", "Status")
    status = dict(zip(months["Månad"], months["Status"], strict=True))
    assert status["januari 2017"] == "stängd" and status["februari 2017"] == "stängd"
    assert status["mars 2017"] == "öppen"
    assert set(months["Stängd av"]) >= {"Anna Controller"}
    assert "nycklarna var fel" in set(months["Skäl (senaste)"])
    restatements = table(at, "Orsak", "Läge")
    assert set(restatements["Orsak"]) == {CAUSE_JAN[0], CAUSE_FEB[0]}
    assert set(restatements["Läge"]) == {"bokförd", "väntar"}
    audit = table(at, "Åtgärd", "Skäl")
    assert list(audit["Åtgärd"]).count("återöppnad") == 1
    assert "nycklarna var fel" in set(audit["Skäl"])
    assert "Stängda månader" in all_text(at)


def test_month_close_page_in_english_names_the_causes_in_english(fixture_snapshot: Path) -> None:
    at = logged_in("data")
    at.sidebar.radio(key="lang").set_value("en").run()
    at.switch_page("app_pages/month_close.py").run()
    assert not at.exception
    assert set(table(at, "Cause", "State")["Cause"]) == {CAUSE_JAN[1], CAUSE_FEB[1]}


def test_month_close_page_offers_the_export_files(
    fixture_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORDELA_DATA_DIR", str(tmp_path))
    _write_export(tmp_path)
    at = logged_in("ledning", "month_close")
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert "Ladda ned internfakturering_2017-02.si (SIE 4I)" in labels
    assert {"N131.csv", "N131.xlsx", "B110.csv"} <= set(labels)
    lines = table(at, "Verifikation", "Debetkonto")
    assert len(lines) == len(INVOICE_LINES)


def test_my_organisation_shows_her_restatements_and_export_lines_only(
    fixture_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORDELA_DATA_DIR", str(tmp_path))
    _write_export(tmp_path)
    at = logged_in("angered")
    at.selectbox(key="filter_month").set_value(FEB).run()
    assert not at.exception
    assert "februari 2017 är stängd (Anna Controller" in all_text(at)
    restatements = table(at, "Orsak", "Läge", "Kostnadsställe")
    assert set(restatements["Kostnadsställe"]) == {"N131-0001"}
    assert len(restatements) == 2  # the frozen one of January, the pending one of February
    lines = table(at, "Verifikation", "Debetkonto")
    assert len(lines) == sum(1 for r in INVOICE_LINES if r[3] == "N131")
    assert set(lines["Organisationskod"]) == {"N131"}
    labels = [b.label for b in at.get("download_button")]
    assert "fakturaunderlag_N131_2017-02.csv" in labels
    assert not any("N132" in label or "B110" in label for label in labels)


def test_my_organisation_in_an_open_month_says_so(fixture_snapshot: Path) -> None:
    at = logged_in("angered")
    assert not at.exception
    assert "juni 2017 är öppen" in all_text(at)
    assert "juni 2017 är inte stängd" in all_text(at)
