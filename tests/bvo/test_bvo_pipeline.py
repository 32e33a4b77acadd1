"""Budget versus outcome on the real pipeline snapshot (demo city at scale 0.1): the SQL
decomposition against the Python reference, the stored sentences (lines and services), the year-end forecast, the
e-invoice KPI, the initiatives and the reconciliation with the published tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.lib.variance import (
    ConsumerAmounts,
    decompose_service_month,
    round_div,
)

pytestmark = pytest.mark.slow

# The year-end forecast made at June must land within this share of the actual full-year
# outcome (city total). The demo ledger books each service's designed outcome along its
# posting kinds' monthly profiles (to the öre), so what is left is the method's own error:
# 2016's city profile applied to 2017, where development weighs more (its profile is
# back-loaded) and the WAN price rise from May lifts the second half. Measured (README,
# "Budget versus outcome"): -1.44 % for this fixture (seed 2017, scale 0.1) and at scale 1,
# -1.37 % to -1.53 % over eleven seeds at scale 0.1 and seven at scale 1 (before the ledger
# followed its profiles: -13.4 % here, up to 20 % across seeds).
YEAR_END_TOLERANCE = Decimal("0.02")
AS_OF_MONTH = 6


@pytest.fixture(scope="module")
def snapshot(pipeline_run: Any) -> Iterator[duckdb.DuckDBPyConnection]:
    assert pipeline_run.success, "the pipeline run failed; see the Dagster run log"
    path: Path = pipeline_run.snapshot
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


def _rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _ore(amount: Decimal) -> int:
    return int(amount * 100)


def _milli(quantity: Decimal) -> int:
    return int(quantity * 1000)


def test_decomposition_matches_the_python_reference(snapshot: duckdb.DuckDBPyConnection) -> None:
    rows = _rows(
        snapshot,
        "select * from marts.rpt_budget_vs_outcome_monthly where fiscal_year = 2017",
    )
    assert rows
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[
            (row["plan_scenario"], row["period_month"], row["service_id"], row["cost_type"])
        ].append(row)
    mismatches = []
    for key, lines in groups.items():
        methods = {line["decomposition_method"] for line in lines}
        assert len(methods) == 1, (key, methods)
        reference = decompose_service_month(
            [
                ConsumerAmounts(
                    line["consumer_org_code"],
                    _ore(line["plan_sek"]),
                    _ore(line["outcome_sek"]),
                    _milli(line["plan_volume_annual"]),
                    _milli(line["outcome_volume"]),
                    line["is_uncharged"],
                )
                for line in lines
            ],
            methods.pop(),
        )
        for line in lines:
            got = (
                _ore(line["volume_effect_sek"]),
                _ore(line["price_effect_sek"]),
                _ore(line["key_effect_sek"]),
                _ore(line["mix_residual_sek"]),
            )
            ref = reference[line["consumer_org_code"]]
            if got != (ref.volume_ore, ref.price_ore, ref.key_ore, ref.residual_ore):
                mismatches.append((key, line["consumer_org_code"], got, ref))
    assert mismatches == []


def test_the_2017_story_shows_in_the_effects(snapshot: duckdb.DuckDBPyConnection) -> None:
    """More IT workplaces (volume), the WAN price rise (price, not charged by the price list)
    and Angered's larger share of Vård och omsorg (key change)."""
    effects = dict(
        (
            (service, org),
            (volume, price, key),
        )
        for service, org, volume, price, key in snapshot.execute(
            """
            select service_id, consumer_org_code, sum(volume_effect_sek), sum(price_effect_sek),
                sum(key_effect_sek)
            from marts.rpt_budget_vs_outcome_monthly
            where fiscal_year = 2017 and plan_scenario = 'budget'
                and service_id in ('IT-ARB', 'IT-WAN', 'VO-VO')
            group by grouping sets ((service_id, consumer_org_code), (service_id))
            """
        ).fetchall()
    )
    assert effects[("IT-ARB", None)][0] > 0  # more devices than planned
    assert effects[("IT-WAN", "UNALLOCATED")][1] > 0  # cost above what the price list charged
    assert effects[("VO-VO", "N131")][2] > 0  # Angered's share grew
    assert (
        abs(effects[("VO-VO", None)][2]) < 10
    )  # key changes cancel over the service (öre rounding)


def test_every_line_and_service_has_its_stored_sentence(
    snapshot: duckdb.DuckDBPyConnection,
) -> None:
    # The sentences are written in dbt only (macros/sentences.sql; words and formats in
    # tests/bvo/test_sentences.py): every 2017 budget line has them, month and year to date, and
    # each service's year to date (rpt_service_variance_ytd) is the sum of its lines.
    missing = snapshot.execute(
        """
        select count(*) from marts.rpt_budget_vs_outcome_monthly
        where fiscal_year = 2017 and plan_scenario = 'budget'
            and (sentence_sv is null or sentence_en is null
                 or sentence_ytd_sv is null or sentence_ytd_en is null)
        """
    ).fetchone()
    assert missing == (0,)
    services = _rows(
        snapshot,
        """
        select s.*, l.variance_ytd_sek as lines_variance_ytd_sek,
            l.price_effect_ytd_sek as lines_price_effect_ytd_sek, l.lines
        from marts.rpt_service_variance_ytd as s
        inner join (
            select period_month, plan_scenario, service_id, count(*) as lines,
                sum(variance_ytd_sek) as variance_ytd_sek,
                sum(price_effect_ytd_sek) as price_effect_ytd_sek
            from marts.rpt_budget_vs_outcome_monthly
            group by all
        ) as l using (period_month, plan_scenario, service_id)
        where s.fiscal_year = 2017 and s.plan_scenario = 'budget'
        """,
    )
    assert services and len({r["service_id"] for r in services}) > 10
    for row in services:
        assert row["variance_ytd_sek"] == row["lines_variance_ytd_sek"], row["service_id"]
        assert row["price_effect_ytd_sek"] == row["lines_price_effect_ytd_sek"]
        assert row["variance_ytd_sek"] == (
            row["volume_effect_ytd_sek"]
            + row["price_effect_ytd_sek"]
            + row["key_effect_ytd_sek"]
            + row["mix_residual_ytd_sek"]
        )
        assert row["sentence_ytd_sv"].startswith(row["label"] + " "), row
        assert row["sentence_ytd_en"].startswith(row["label"] + " "), row


def test_year_end_forecast_2017_at_june(snapshot: duckdb.DuckDBPyConnection) -> None:
    forecast, actual, budget, latest = snapshot.execute(
        """
        select sum(forecast_full_year_sek), sum(actual_full_year_sek), sum(budget_sek),
            sum(latest_forecast_sek)
        from marts.rpt_year_end_forecast
        where fiscal_year = 2017 and as_of_month_number = ?
        """,
        [AS_OF_MONTH],
    ).fetchone()
    ledger = snapshot.execute(
        "select sum(amount_sek) from marts.fct_service_cost where fiscal_year = 2017 and scenario = 'outcome'"
    ).fetchone()[0]
    assert actual == ledger
    assert budget == Decimal("689695000.00")
    assert latest is not None
    assert abs(forecast - actual) <= YEAR_END_TOLERANCE * actual, (
        f"June run rate {forecast} vs actual {actual}: {(forecast / actual - 1) * 100:.1f} %"
    )


def test_year_end_forecast_is_ytd_over_last_years_profile(
    snapshot: duckdb.DuckDBPyConnection,
) -> None:
    """Recomputed from fct_service_cost: 2016's cumulative share of the city's outcome, exact
    to the öre."""
    monthly = _rows(
        snapshot,
        """
        select fiscal_year, month(period_month) as m, service_id, cost_type, sum(amount_sek) as amount
        from marts.fct_service_cost where scenario = 'outcome' group by all
        """,
    )
    cumulative = [0] * 13
    ytd: dict[tuple[str, str], int] = defaultdict(int)
    for r in monthly:
        if r["fiscal_year"] == 2016:
            for m in range(r["m"], 13):
                cumulative[m] += _ore(r["amount"])
        elif r["m"] <= AS_OF_MONTH:
            ytd[(r["service_id"], r["cost_type"])] += _ore(r["amount"])
    rows = _rows(
        snapshot,
        """
        select service_id, cost_type, profile_basis, ytd_outcome_sek, forecast_full_year_sek
        from marts.rpt_year_end_forecast where fiscal_year = 2017 and as_of_month_number = ?
        """,
        [AS_OF_MONTH],
    )
    for r in rows:
        assert r["profile_basis"] == "last_year"
        expected = round_div(
            ytd[(r["service_id"], r["cost_type"])] * cumulative[12], cumulative[AS_OF_MONTH]
        )
        assert _ore(r["ytd_outcome_sek"]) == ytd[(r["service_id"], r["cost_type"])]
        assert _ore(r["forecast_full_year_sek"]) == expected, r


def test_einvoice_share_kpi_with_its_target(snapshot: duckdb.DuckDBPyConnection) -> None:
    rows = _rows(
        snapshot,
        """
        select period_month, numerator, denominator, value, target, is_target_in_force, is_target_met
        from marts.fct_kpi where kpi_code = 'EINVOICE_SHARE' and org_code = 'ALL'
        order by period_month
        """,
    )
    assert len(rows) == 24  # every month of 2016 and 2017
    for r in rows:
        assert r["target"] == Decimal("0.800000")
        assert r["is_target_in_force"] is False  # the target applies from 2018
        assert 0 < r["value"] < 1
        assert abs(r["value"] - r["numerator"] / r["denominator"]) < Decimal("0.000001")
        assert r["is_target_met"] == (r["value"] >= r["target"])
    assert rows[-1]["value"] > rows[0]["value"]  # the share grows towards the goal
    per_org = snapshot.execute(
        "select count(distinct org_code) from marts.fct_kpi where kpi_code = 'EINVOICE_SHARE' and org_code <> 'ALL'"
    ).fetchone()[0]
    assert per_org > 10


def test_initiatives_plan_against_spend(snapshot: duckdb.DuckDBPyConnection) -> None:
    rows = _rows(snapshot, "select * from marts.fct_initiative_plan_vs_spend")
    assert {r["status"] for r in rows} <= {"ej startad", "pågår", "klar", "överskriden"}
    spent_2017 = [r for r in rows if r["fiscal_year"] == 2017 and r["spend_sek"] != 0]
    assert spent_2017
    assert all(r["status"] in {"klar", "överskriden"} for r in spent_2017)  # 2017 is closed
    later = [r for r in rows if r["fiscal_year"] >= 2018]
    assert later and all(r["status"] == "ej startad" and r["spend_sek"] == 0 for r in later)
    einvoices = next(r for r in rows if r["initiative_id"] == "EH-3" and r["fiscal_year"] == 2017)
    assert einvoices["benefit_indicator_code"] == "EINVOICE_SHARE"
    assert einvoices["benefit_indicator_target"] == Decimal("0.800000")
    assert einvoices["benefit_indicator_value"] is not None


# Göteborg's key totals (brief section 8), as the warehouse reproduces them from the demo's
# reference pack: (plan version, printed table, line) -> warehouse tkr.
KEY_TOTALS_TKR = {
    ("Budget 2017", "is_summary_table", "cost_type_total::maintenance"): 620_000,
    ("Budget 2017", "is_summary_table", "cost_type_total::development"): 69_695,
    ("Budget 2017", "is_summary_table", "total::"): 689_695,
    ("Budget 2017", "ks_budget_table", "change:P0 2016:maintenance"): 26_500,
    ("Budget 2017", "is_bilaga1_subtotals", "org_group:Stadsdelsförvaltningar:"): 501_055,
    ("Budget 2017", "is_bilaga1_subtotals", "org_group:Fackförvaltningar:"): 156_325,
    ("Budget 2017", "is_bilaga1_subtotals", "org_group:Bolag:"): 28_222,
    ("Budget 2017", "is_bilaga1_subtotals", "org_group:Kommunalförbund:"): 4_093,
    ("Budget 2017", "is_bilaga1_subtotals", "total::"): 689_695,
    ("P0 2016", "is_summary_table", "cost_type_total::maintenance"): 593_500,
    ("P0 2016", "is_summary_table", "cost_type_total::development"): 23_250,
    ("P0 2016", "is_summary_table", "total::"): 616_750,
    ("P0 2016", "is_bilaga1_subtotals", "total::"): 616_750,
    # P1 2016: 595 154 + 23 070 - 1 474 (Reglering) = 616 750 as printed; the lines sum to
    # 595 155 and 616 751 (the named P1_TOTAL_PLUS_1).
    ("P1 2016", "is_summary_table", "cost_type_total::maintenance"): 595_155,
    ("P1 2016", "is_summary_table", "cost_type_total::development"): 23_070,
    ("P1 2016", "is_summary_table", "adjustment::"): -1_474,
    ("P1 2016", "is_summary_table", "total::"): 616_751,
}
# The allocated grand total of each printed version, exact to the öre (the printed total, but
# P1 2016's lines sum to 1 tkr more than it prints).
ALLOCATED_TOTAL_SEK = {
    "P0 2016": Decimal("616750000.00"),
    "P1 2016": Decimal("616751000.00"),
    "Budget 2017": Decimal("689695000.00"),
}
# Every named misprint of the demo's pack: (version, table, line) -> (code, difference tkr).
NAMED_DIFFERENCES = {
    ("P0 2016", "is_bilaga2_subtotals", "service_area:IT:development"): (
        "IT_DEV_SUBTOTAL_PRINTED_0",
        5_400,
    ),
    ("P1 2016", "is_bilaga2_subtotals", "service_area:IT:development"): (
        "IT_DEV_SUBTOTAL_PRINTED_0",
        5_400,
    ),
    ("P0 2016", "is_bilaga2_subtotals", "total::"): ("IT_DEV_SUBTOTAL_PRINTED_0", 5_400),
    ("P1 2016", "is_bilaga2_subtotals", "total::"): (
        "IT_DEV_SUBTOTAL_PRINTED_0+P1_TOTAL_PLUS_1",
        5_401,
    ),
    ("P0 2016", "is_bilaga2_subtotals", "service_area:EHANDEL:maintenance"): (
        "OFF_BY_ONE_AREA_SUBTOTAL",
        1,
    ),
    ("P0 2016", "is_summary_table", "service_area:EHANDEL:maintenance"): (
        "OFF_BY_ONE_AREA_SUBTOTAL",
        1,
    ),
    ("P1 2016", "is_bilaga2_subtotals", "service_area:EHANDEL:maintenance"): (
        "OFF_BY_ONE_AREA_SUBTOTAL",
        1,
    ),
    ("P1 2016", "is_summary_table", "service_area:EHANDEL:maintenance"): (
        "OFF_BY_ONE_AREA_SUBTOTAL",
        1,
    ),
    ("P0 2016", "is_bilaga2_subtotals", "service_area:EKONOMI:maintenance"): (
        "OFF_BY_ONE_AREA_SUBTOTAL",
        -1,
    ),
    ("P0 2016", "is_summary_table", "service_area:EKONOMI:maintenance"): (
        "OFF_BY_ONE_AREA_SUBTOTAL",
        -1,
    ),
    ("P1 2016", "is_summary_table", "cost_type_total::maintenance"): ("P1_TOTAL_PLUS_1", 1),
    ("P1 2016", "is_summary_table", "total::"): ("P1_TOTAL_PLUS_1", 1),
    ("P1 2016", "is_bilaga1_subtotals", "total::"): ("P1_TOTAL_PLUS_1", 1),
    ("P1 2016", "is_group_table", "total::"): ("P1_TOTAL_PLUS_1", 1),
    # The organisation lines sum to 689 696; the allocation keeps the plan's 689 695 as printed.
    ("Budget 2017", "is_bilaga1_subtotals", "total::"): ("GROUP_SUBTOTAL_ROUNDING", 0),
    ("Budget 2017", "is_group_table", "total::"): ("GROUP_SUBTOTAL_ROUNDING", 0),
    ("P1 2016", "is_summary_table", "adjustment::"): ("REGLERING_BALANCING_LINE", 0),
    ("P1 2016", "is_bilaga2_subtotals", "adjustment::"): ("REGLERING_BALANCING_LINE", 0),
    ("P1 2016", "is_bilaga2_lines", "service:LEDNING_STYRNING/LS-LIS:maintenance"): (
        "LS_P1_SUSPECTED_COLUMN_SWAP",
        0,
    ),
    ("P1 2016", "is_bilaga2_lines", "service:LEDNING_STYRNING/LS-PLAN:maintenance"): (
        "LS_P1_SUSPECTED_COLUMN_SWAP",
        0,
    ),
}


def test_reconciliation_with_the_published_tables(snapshot: duckdb.DuckDBPyConnection) -> None:
    """Göteborg's printed 2016/2017 tables, delivered as the demo's reference pack, are
    reproduced: every line equal or named, the key totals, every misprint under its name."""
    rows = _rows(snapshot, "select * from marts.rpt_reconciliation_published")
    assert len(rows) == 561  # every printed line of the pack, and no unprinted amount
    assert all(r["is_version_in_plan"] and r["is_printed"] for r in rows)
    assert [r for r in rows if not r["is_explained"]] == []
    by_key = {(r["plan_version"], r["source"], r["line_key"]): r for r in rows}
    assert {k: by_key[k]["warehouse_tkr"] for k in KEY_TOTALS_TKR} == KEY_TOTALS_TKR
    named = {
        k: (r["difference_code"], r["difference_tkr"])
        for k, r in by_key.items()
        if r["difference_code"] is not None and r["level"] not in ("organisation", "org_group")
    }
    assert named == NAMED_DIFFERENCES
    # Organisations: within the printed rounding (ORG_LINE_ROUNDING, +-1 tkr), all 63 printed.
    organisations = [r for r in rows if r["level"] == "organisation"]
    assert len({r["code"] for r in organisations}) == 63
    assert all(abs(r["difference_tkr"]) <= 1 for r in organisations)
    assert all(
        (r["difference_code"] == "ORG_LINE_ROUNDING") == (r["difference_tkr"] != 0)
        for r in organisations
    )
    # Groups: four groups and the total per version and table, within 1 tkr (GROUP_SUBTOTAL_ROUNDING
    # where the printed lines do not foot).
    for version in ALLOCATED_TOTAL_SEK:
        for source in ("is_bilaga1_subtotals", "is_group_table"):
            groups = [r for r in rows if r["plan_version"] == version and r["source"] == source]
            assert len(groups) == 5
            assert all(abs(r["difference_tkr"]) <= 1 for r in groups)
    allocated = dict(
        snapshot.execute(
            "select plan_version, sum(amount_sek) from marts.rpt_budget_org_year group by plan_version"
        ).fetchall()
    )
    assert {v: allocated[v] for v in ALLOCATED_TOTAL_SEK} == ALLOCATED_TOTAL_SEK
