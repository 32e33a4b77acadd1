"""The month cycle on the demo city, through the real Dagster jobs, dbt and the published snapshot.

One story per module, on a copy of the session's pipeline run: refusals (a rejected file, a red
check, months out of order), closing month 1 of the last year, a correction file for it and a
pipeline run (restatements in month 2), closing month 2 (its export books the restatements),
and reopening it. The tests assert on what each step left behind.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from expectations import CONTRACTS_BY_TABLE
from pipelines.lib.close.export import sie_name
from pipelines.lib.landing import SPECS_BY_TABLE, load_table
from pipelines.lib.quality import run_contract, store_outcomes
from pipelines.lib.readers import CONTRACT_COLUMNS, read_table, write_canonical_csv
from pipelines.lib.settings import get_settings
from pipelines.runs import run_close_job, run_full_pipeline
from tests.conftest import PipelineRun

pytestmark = pytest.mark.slow

EXTRA = Decimal("100000.00")  # the correction: one more invoice on a fixed-key service


@dataclass
class Story:
    data_dir: Path
    warehouse: Path
    month1: date
    month2: date
    refusals: dict[str, str] = field(default_factory=dict)
    closed_ok: dict[str, str] = field(default_factory=dict)
    corrected_service: str = ""
    correction_file: str = ""
    replaced_file: str = ""
    # (org, service) -> SEK at each checkpoint
    allocation_m1_at_close: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    frozen_m1: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    allocation_m1_after: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    booked_m1_after: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    restatements: list[dict[str, object]] = field(default_factory=list)
    bvo_outcome_after: dict[tuple[date, str, str], Decimal] = field(default_factory=dict)
    allocation_m2_after: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    exports: dict[str, Path] = field(default_factory=dict)
    invoice_lines_m2: list[dict[str, object]] = field(default_factory=list)
    period_closes: list[dict[str, object]] = field(default_factory=list)
    snapshot_status: dict[date, str] = field(default_factory=dict)
    snapshot_restatements: int = 0
    export_set_aside: bool = False


def _org_service(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object]
) -> dict[tuple[str, str], Decimal]:
    return {(org, sid): Decimal(amount) for org, sid, amount in con.execute(sql, params).fetchall()}


_ALLOCATION = """
    select consumer_org_code, service_id, sum(amount_sek) from marts.fct_allocation
    where scenario = 'outcome' and period_month = ? group by all
"""


def _correction(con: duckdb.DuckDBPyConnection, landing: Path, month: date) -> tuple[str, str, str]:
    """Deliver `ledger_<month>_korr.csv`: the month's ledger plus one invoice of EXTRA on a
    service charged by a fixed key in the outcome. Returns (service, correction, replaced)."""
    service, account, centre = con.execute(
        """
        select l.activity_code, l.account, l.cost_centre_code
        from raw.ledger l
        join marts.dim_allocation_rule r
            on r.service_id = l.activity_code and r.fiscal_year = ? and r.scenario = 'outcome'
        where l.period = ? and r.allocation_method = 'fixed_key' and l.project_code is null
            and l.account between '4000' and '7999'
        order by l.activity_code, l._source_row limit 1
        """,
        [month.year, f"{month:%Y-%m}"],
    ).fetchone()
    original = con.execute(
        "select relative_path from ops.landed_files where table_name = 'ledger' "
        "and partition_key = ? and status = 'active'",
        [f"{month:%Y-%m}"],
    ).fetchone()[0]
    result = read_table(landing / original, "ledger", CONTRACT_COLUMNS["ledger"])
    day = f"{month:%Y-%m}-28"
    for number, (acc, cc, act, amount) in enumerate(
        [(account, centre, service, EXTRA), ("2440", None, None, -EXTRA)], start=1
    ):
        result.records.append(
            {
                "voucher_series": "K",
                "voucher_number": "9001",
                "voucher_date": day,
                "period": f"{month:%Y-%m}",
                "account": acc,
                "cost_centre_code": cc,
                "activity_code": act,
                "project_code": None,
                "counterparty": "Leverantör AB",
                "amount_sek": f"{amount:.2f}",
                "text": "Sen faktura, rättelse",
            }
        )
        result.row_numbers.append(10_000_000 + number)
    correction = f"ledger/ledger_{month:%Y-%m}_korr.csv"
    write_canonical_csv(result, landing / correction)
    return service, correction, original


@pytest.fixture(scope="module")
def story(pipeline_run: PipelineRun, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Story]:
    assert pipeline_run.success
    data_dir = tmp_path_factory.mktemp("close-story") / "data"
    shutil.copytree(pipeline_run.data_dir, data_dir, ignore=shutil.ignore_patterns("dagster_home"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FORDELA_DATA_DIR", str(data_dir))
        settings = get_settings()
        instance = dg.DagsterInstance.ephemeral()
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            months = [
                r[0]
                for r in con.execute(
                    "select distinct period_month from marts.fct_allocation where scenario = 'outcome' "
                    "order by 1"
                ).fetchall()
            ]
        last_year = [m for m in months if m.year == months[-1].year]
        story = Story(data_dir, settings.warehouse_path, last_year[0], last_year[1])
        m1, m2 = (f"{m:%Y-%m}" for m in (story.month1, story.month2))

        def attempt(name: str, month: str, action: str = "close", reason: str = "") -> bool:
            ok, message = run_close_job(instance, month, action, "Test Controller", reason)
            (story.closed_ok if ok else story.refusals)[name] = message
            return ok

        # Months close in order; a month without outcome cannot be closed.
        attempt("out_of_order", m2)
        attempt("no_outcome", f"{months[-1].year + 1}-01")

        # A rejected file blocks a close until it is resolved.
        bad = settings.landing_dir / "plan" / "price_list_extra.csv"
        bad.write_text("fiscal_year;service;pris\n2031;X;1\n", encoding="utf-8")
        with duckdb.connect(str(settings.warehouse_path)) as con:
            load_table(con, SPECS_BY_TABLE["price_list"], settings.landing_dir)
        attempt("rejected_file", m1)
        for leftover in (settings.quarantine_dir / "plan").glob("price_list_extra.csv*"):
            leftover.unlink()
        with duckdb.connect(str(settings.warehouse_path)) as con:
            load_table(con, SPECS_BY_TABLE["price_list"], settings.landing_dir)

        # A red check blocks a close: a negative price slipped past the loader into landed.
        contract = CONTRACTS_BY_TABLE["price_list"]
        with duckdb.connect(str(settings.warehouse_path)) as con:
            con.execute(
                "insert into landed.price_list select fiscal_year, service_id, driver_code, "
                "'-1.00', _source_file, 999999, _file_hash, _loaded_at from landed.price_list "
                "where _file_hash in (select file_hash from ops.landed_files "
                "where table_name = 'price_list' and status = 'active') limit 1"
            )
            store_outcomes(con, contract, run_contract(con, contract, run_id="red").outcomes, "red")
        attempt("red_check", m1)
        with duckdb.connect(str(settings.warehouse_path)) as con:
            con.execute("delete from landed.price_list where _source_row = 999999")
            store_outcomes(
                con, contract, run_contract(con, contract, run_id="green").outcomes, "green"
            )

        # Close month 1 and keep what it froze.
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            story.allocation_m1_at_close = _org_service(con, _ALLOCATION, [story.month1])
        assert attempt("close_m1", m1), story.refusals
        attempt("close_m1_again", m1)
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            story.frozen_m1 = _org_service(
                con,
                "select consumer_org_code, service_id, sum(amount_sek) from ops.closed_charges "
                "where period_month = ? group by all",
                [story.month1],
            )
        story.exports["m1"] = data_dir.parent / "export-m1"
        shutil.copytree(settings.exports_dir / m1, story.exports["m1"])

        # A correction file for the closed month, and a pipeline run.
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            story.corrected_service, story.correction_file, story.replaced_file = _correction(
                con, settings.landing_dir, story.month1
            )
        assert run_full_pipeline(instance).success
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            story.allocation_m1_after = _org_service(con, _ALLOCATION, [story.month1])
            story.allocation_m2_after = _org_service(con, _ALLOCATION, [story.month2])
            story.booked_m1_after = _org_service(
                con,
                "select consumer_org_code, service_id, sum(amount_sek) from marts.fct_charge "
                "where period_month = ? group by all",
                [story.month1],
            )
            cursor = con.execute("select * from marts.fct_restatement")
            names = [d[0] for d in cursor.description]
            story.restatements = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            story.bvo_outcome_after = {
                (month, org, sid): Decimal(amount)
                for month, org, sid, amount in con.execute(
                    """
                    select period_month, consumer_org_code, service_id, sum(outcome_sek)
                    from marts.rpt_budget_vs_outcome_monthly
                    where plan_scenario = 'budget' and period_month in (?, ?)
                        and consumer_org_code <> 'UNALLOCATED'
                    group by all
                    """,
                    [story.month1, story.month2],
                ).fetchall()
            }

        # Close month 2: the restatements are frozen with it and exported as their own vouchers.
        assert attempt("close_m2", m2), story.refusals
        story.exports["m2"] = data_dir.parent / "export-m2"
        shutil.copytree(settings.exports_dir / m2, story.exports["m2"])
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            cursor = con.execute(
                "select * from marts.fct_invoice_line where period_month = ?", [story.month2]
            )
            names = [d[0] for d in cursor.description]
            story.invoice_lines_m2 = [
                dict(zip(names, row, strict=True)) for row in cursor.fetchall()
            ]

        # Reopening needs a reason and goes from the latest closed month backwards.
        attempt("reopen_without_reason", m2, "reopen", "  ")
        attempt("reopen_not_latest", m1, "reopen", "the key was wrong")
        assert attempt("reopen_m2", m2, "reopen", "volumes of the month were delivered late"), (
            story.refusals
        )
        story.export_set_aside = not (
            settings.exports_dir / m2 / sie_name(story.month2)
        ).exists() and any((settings.exports_dir / m2).glob("reopened-*/" + sie_name(story.month2)))
        with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
            cursor = con.execute("select * from ops.period_closes order by acted_at")
            names = [d[0] for d in cursor.description]
            story.period_closes = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        with duckdb.connect(str(settings.current_snapshot), read_only=True) as con:
            story.snapshot_status = dict(
                con.execute(
                    "select period_month, status from marts.rpt_period_close_monthly"
                ).fetchall()
            )
            story.snapshot_restatements = con.execute(
                "select count(*) from marts.fct_restatement"
            ).fetchone()[0]
    yield story


# --- Acceptance 1: a closed month stays closed; the correction becomes restatements ---------------


def test_closed_charges_unchanged_to_the_ore_after_a_correction(story: Story) -> None:
    assert story.frozen_m1 == story.allocation_m1_at_close
    # The correction changed what the month would be ...
    assert (
        sum(story.allocation_m1_after.values()) - sum(story.allocation_m1_at_close.values())
        == EXTRA
    )
    # ... but the month as booked is what was closed, to the öre, per organisation x service.
    assert story.booked_m1_after == story.frozen_m1


def test_restatements_in_the_next_open_month_sum_to_the_difference(story: Story) -> None:
    assert story.restatements
    assert {r["period_month"] for r in story.restatements} == {story.month2}
    assert {r["restated_month"] for r in story.restatements} == {story.month1}
    restated: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in story.restatements:
        restated[(str(r["consumer_org_code"]), str(r["service_id"]))] += Decimal(r["amount_sek"])  # type: ignore[arg-type]
    keys = set(story.allocation_m1_after) | set(story.frozen_m1)
    expected = {
        k: story.allocation_m1_after.get(k, Decimal(0)) - story.frozen_m1.get(k, Decimal(0))
        for k in keys
    }
    assert {k: v for k, v in expected.items() if v} == dict(restated)
    assert sum(restated.values()) == EXTRA
    assert {sid for _, sid in restated} == {story.corrected_service}


def test_restatements_name_the_correction_file(story: Story) -> None:
    for r in story.restatements:
        assert r["cause_kind"] == "file"
        assert story.correction_file in str(r["cause_en"])
        assert f"{story.correction_file} replaced {story.replaced_file}" in str(r["cause_en"])
        assert f"{story.correction_file} ersatte {story.replaced_file}" in str(r["cause_sv"])


def test_budget_versus_outcome_uses_closed_figures_plus_restatements(story: Story) -> None:
    restated: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in story.restatements:
        restated[(str(r["consumer_org_code"]), str(r["service_id"]))] += Decimal(r["amount_sek"])  # type: ignore[arg-type]
    month1 = {(o, s): v for (m, o, s), v in story.bvo_outcome_after.items() if m == story.month1}
    month2 = {(o, s): v for (m, o, s), v in story.bvo_outcome_after.items() if m == story.month2}
    frozen = {k: v for k, v in story.frozen_m1.items() if k in month1}
    assert frozen and all(month1[k] == v for k, v in frozen.items())
    for key, amount in restated.items():
        assert month2[key] == story.allocation_m2_after.get(key, Decimal(0)) + amount


# --- Acceptance 3: refusals name what blocks them; reopening needs a reason and is recorded --------


def test_close_refused_with_a_rejected_file_naming_it(story: Story) -> None:
    message = story.refusals["rejected_file"]
    assert "rejected file" in message and "plan/price_list_extra.csv" in message


def test_close_refused_with_a_red_check_naming_it(story: Story) -> None:
    message = story.refusals["red_check"]
    assert "blocking check" in message and "price_list" in message and "negative" in message


def test_close_refused_out_of_order_without_outcome_or_twice(story: Story) -> None:
    assert f"{story.month1:%Y-%m}" in story.refusals["out_of_order"]
    assert "close them first" in story.refusals["out_of_order"]
    assert "has no outcome" in story.refusals["no_outcome"]
    assert "already closed" in story.refusals["close_m1_again"]


def test_reopen_needs_a_reason_and_goes_backwards(story: Story) -> None:
    assert "needs a reason" in story.refusals["reopen_without_reason"]
    assert "later months are closed" in story.refusals["reopen_not_latest"]
    assert f"{story.month2:%Y-%m}" in story.refusals["reopen_not_latest"]
    reopen = [a for a in story.period_closes if a["action"] == "reopen"]
    assert len(reopen) == 1
    assert reopen[0]["reason"] == "volumes of the month were delivered late"
    assert reopen[0]["acted_by"] == "Test Controller" and reopen[0]["period_month"] == story.month2
    actions = [(a["action"], a["period_month"]) for a in story.period_closes]
    assert actions == [
        ("close", story.month1),
        ("export", story.month1),
        ("close", story.month2),
        ("export", story.month2),
        ("reopen", story.month2),
    ]
    assert story.export_set_aside
    # The snapshot shows the new state.
    assert story.snapshot_status[story.month1] == "closed"
    assert story.snapshot_status[story.month2] == "open"
    # Month 2 is open again: the restatements of month 1 wait in it again.
    assert story.snapshot_restatements == len(story.restatements)


# --- Acceptance 2: the SIE export read back by fordela's own reader --------------------------------


def _read_sie(path: Path) -> list[dict[str, str | None]]:
    result = read_table(path, "ledger", CONTRACT_COLUMNS["ledger"])
    assert not result.row_problems and not result.warnings
    assert result.metadata["encoding"] == "cp437" and result.metadata["sie_format"] == "PC8"
    return result.records


def _org_of_centre(story: Story) -> dict[str, str]:
    with duckdb.connect(str(story.warehouse), read_only=True) as con:
        return dict(
            con.execute("select cost_centre_code, org_code from marts.dim_cost_centre").fetchall()
        )


def _service_of_activity(story: Story, year: int) -> dict[str, str]:
    with duckdb.connect(str(story.warehouse), read_only=True) as con:
        rows = con.execute(
            "select activity_code, service_id from marts.dim_invoicing_account where fiscal_year = ?",
            [year],
        ).fetchall()
    mapping = dict(rows)
    assert len(mapping) == len(rows), "the demo gives every service its own activity code"
    return mapping


def test_sie_export_balances_and_debits_equal_the_allocation(story: Story) -> None:
    records = _read_sie(story.exports["m1"] / sie_name(story.month1))
    vouchers: dict[str, Decimal] = defaultdict(Decimal)
    for r in records:
        vouchers[str(r["voucher_number"])] += Decimal(str(r["amount_sek"]))
        assert r["period"] == f"{story.month1:%Y-%m}"
    assert vouchers and all(total == 0 for total in vouchers.values())
    org_of = _org_of_centre(story)
    service_of = _service_of_activity(story, story.month1.year)
    with duckdb.connect(str(story.warehouse), read_only=True) as con:
        debit_accounts = {
            a
            for (a,) in con.execute(
                "select distinct debit_account from marts.dim_invoicing_account"
            ).fetchall()
        }
    debits: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    credits = Decimal(0)
    for r in records:
        if r["account"] in debit_accounts:
            debits[(org_of[str(r["cost_centre_code"])], service_of[str(r["activity_code"])])] += (
                Decimal(str(r["amount_sek"]))
            )
        else:
            credits += Decimal(str(r["amount_sek"]))
    expected = {k: v for k, v in story.allocation_m1_at_close.items() if v}
    assert dict(debits) == expected
    assert credits == -sum(story.allocation_m1_at_close.values())
    # One voucher per consuming organisation.
    assert len(vouchers) == len({org for org, _ in expected})


def test_sie_export_books_restatements_as_their_own_vouchers(story: Story) -> None:
    records = _read_sie(story.exports["m2"] / sie_name(story.month2))
    restatement_vouchers = {
        str(line["voucher_number"])
        for line in story.invoice_lines_m2
        if line["line_kind"] == "restatement"
    }
    assert restatement_vouchers
    by_voucher: dict[str, list[dict[str, str | None]]] = defaultdict(list)
    for r in records:
        by_voucher[str(r["voucher_number"])].append(r)
    for number in restatement_vouchers:
        rows = by_voucher[number]
        assert sum(Decimal(str(r["amount_sek"])) for r in rows) == 0
    raw = (story.exports["m2"] / sie_name(story.month2)).read_bytes().decode("cp437")
    for number in restatement_vouchers:
        head = next(line for line in raw.splitlines() if line.startswith(f"#VER I {number} "))
        assert f"avser {story.month1:%Y-%m}" in head and story.correction_file in head
    restated = sum(Decimal(r["amount_sek"]) for r in story.restatements)  # type: ignore[arg-type]
    in_vouchers = sum(
        Decimal(str(line["amount_sek"]))
        for line in story.invoice_lines_m2
        if line["line_kind"] == "restatement"
    )
    assert in_vouchers == restated == EXTRA


def test_sie_export_keeps_swedish_characters_in_cp437(story: Story) -> None:
    path = story.exports["m1"] / sie_name(story.month1)
    data = path.read_bytes()
    assert b"\xc3" not in data  # no UTF-8 sequences
    text = data.decode("cp437")
    assert any(ch in text for ch in "åäöÅÄÖ")
    with duckdb.connect(str(story.warehouse), read_only=True) as con:
        names = {
            n
            for (n,) in con.execute(
                "select distinct service_name_sv from marts.dim_service"
            ).fetchall()
        }
    texts = {r["text"] for r in _read_sie(path)}
    swedish = {t for t in texts if t and any(ch in t for ch in "åäöÅÄÖ")}
    assert swedish and swedish <= names


def test_invoice_basis_per_organisation_matches_the_sie_file(story: Story) -> None:
    import csv

    basis = story.exports["m1"] / "fakturaunderlag"
    orgs = {org for org, _ in story.allocation_m1_at_close}
    assert {p.stem for p in basis.glob("*.csv")} <= orgs
    assert {p.stem for p in basis.glob("*.xlsx")} == {p.stem for p in basis.glob("*.csv")}
    total = Decimal(0)
    for path in basis.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert {r["org_code"] for r in rows} == {path.stem}
        total += sum(Decimal(r["amount_sek"]) for r in rows)
    assert total == sum(story.allocation_m1_at_close.values())


# --- Audit: a closed month can be reproduced from its recorded inputs ------------------------------


def test_a_closed_month_is_reproduced_from_its_recorded_inputs(
    story: Story, tmp_path: Path
) -> None:
    from pipelines.lib.close.reproduce import reproduce_month

    into = tmp_path / "reproduced"
    with duckdb.connect(str(story.warehouse), read_only=True) as con:
        written = reproduce_month(con, story.month1, into)
    assert any(
        p.name == story.replaced_file.split("/")[-1].rsplit(".", 1)[0] + ".csv" for p in written
    )
    assert not any("_korr" in p.name for p in written)  # the correction came after the close
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FORDELA_DATA_DIR", str(into))
        assert run_full_pipeline(dg.DagsterInstance.ephemeral()).success
        with duckdb.connect(str(get_settings().warehouse_path), read_only=True) as con:
            reproduced = _org_service(con, _ALLOCATION, [story.month1])
    assert reproduced == story.frozen_m1
