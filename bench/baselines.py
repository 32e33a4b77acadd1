"""Baselines beside the pipeline: the engine's floor (one hand-written DuckDB SQL script) and what
an analyst would write in pandas, both computing the plan allocation from the landed files.

Scope: every plan scenario (budget, forecasts, proposal) of every year, allocated per month to
consumer cost centres with the same rule as the pipeline (monthly pools, fixed keys on the
default cost centre, planned volume shares within a key-set population, largest remainder to
the öre). The outcome scenario (ledger pools, support services, price-list settlement) is not in
the baselines yet; see the README's performance section.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

Totals = dict[tuple[int, str, str], Decimal]  # (fiscal_year, scenario, org) -> SEK

FLOOR_SQL = Path(__file__).with_name("floor.sql")


@dataclass(frozen=True)
class Baseline:
    seconds: float
    totals: Totals


def _csv(landing: Path, pattern: str) -> str:
    return str(landing / pattern)


def sql_floor(data_dir: Path) -> Baseline:
    landing = data_dir / "landing"
    sql = FLOOR_SQL.read_text().replace("{landing}", str(landing))
    started = time.perf_counter()
    con = duckdb.connect()
    rows = con.execute(sql).fetchall()
    seconds = time.perf_counter() - started
    con.close()
    return Baseline(seconds, {(int(y), s, o): Decimal(a) for y, s, o, a in rows})


def _largest_remainder(pool: int, weights: list[int]) -> list[int]:
    total = sum(weights)
    floors = [pool * w // total for w in weights]
    remainders = [pool * w - f * total for w, f in zip(weights, floors, strict=True)]
    extra = pool - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: -remainders[i])
    for i in order[:extra]:
        floors[i] += 1
    return floors


def pandas_baseline(data_dir: Path) -> Baseline:
    """What an analyst would write: read the CSVs with pandas, loop over plan lines and months."""
    landing = data_dir / "landing"
    started = time.perf_counter()
    plan = pd.read_csv(landing / "plan" / "plan_amounts.csv", dtype=str)
    methods = pd.read_csv(landing / "plan" / "service_methods.csv", dtype=str, keep_default_na=False)
    keys = pd.read_csv(landing / "plan" / "allocation_keys.csv", dtype=str)
    volumes = pd.read_csv(landing / "plan" / "planned_volumes.csv", dtype=str)
    centres = pd.read_csv(landing / "organisations" / "cost_centres.csv", dtype=str)

    org_of = dict(zip(centres["cost_centre_code"], centres["org_code"], strict=True))
    default_cc = dict(
        centres.loc[centres["is_default"].str.lower() == "true", ["org_code", "cost_centre_code"]].values
    )
    keys["w"] = keys["share"].map(lambda s: int(Decimal(s) * 10**12))
    volumes["w"] = volumes["quantity"].map(lambda q: int(Decimal(q) * 1000))
    members = keys[keys["w"] > 0].groupby(["key_set", "service_id"])["org_code"].apply(set).to_dict()

    totals: Totals = defaultdict(Decimal)
    rules = methods.set_index(["fiscal_year", "scenario", "service_id"])
    for line in plan.itertuples(index=False):
        rule = rules.loc[(line.fiscal_year, line.scenario, line.service_id)]
        if rule["allocation_method"] == "fixed_key":
            chosen = keys[(keys["key_set"] == rule["key_set"]) & (keys["service_id"] == line.service_id)]
            weights = {default_cc[o]: w for o, w in zip(chosen["org_code"], chosen["w"], strict=True) if w}
        else:
            chosen = volumes[
                (volumes["fiscal_year"] == line.fiscal_year)
                & (volumes["scenario"] == line.scenario)
                & (volumes["driver_code"] == rule["driver_code"])
            ]
            population = members.get((rule["key_set"], line.service_id)) if rule["key_set"] else None
            weights = defaultdict(int)
            for cc, w in zip(chosen["cost_centre_code"], chosen["w"], strict=True):
                if population is None or org_of[cc] in population:
                    weights[cc] += w
        order = sorted(weights)
        pool_ore = int(Decimal(line.amount_sek) * 100)
        q, r = divmod(pool_ore, 12)
        for month in range(12):
            pool = q + (1 if month < r else 0)
            for cc, ore in zip(order, _largest_remainder(pool, [weights[c] for c in order]), strict=True):
                totals[(int(line.fiscal_year), line.scenario, org_of[cc])] += Decimal(ore) / 100
    return Baseline(time.perf_counter() - started, dict(totals))


def pipeline_totals(warehouse: Path) -> Totals:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select fiscal_year, scenario, consumer_org_code, sum(amount_sek) from marts.fct_allocation "
            "where scenario <> 'outcome' group by all"
        ).fetchall()
    return {(int(y), s, o): Decimal(a) for y, s, o, a in rows}


def same_totals(baseline: Totals, pipeline: Totals) -> bool:
    keys = set(baseline) | set(pipeline)
    return all(baseline.get(k, Decimal(0)) == pipeline.get(k, Decimal(0)) for k in keys)
