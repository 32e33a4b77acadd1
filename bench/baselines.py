"""Baselines beside the pipeline, deliberate second implementations of `marts.fct_allocation`:
the engine's floor (one hand-written DuckDB SQL script, `floor.sql`) and what an analyst would
write in pandas, both computing it from the landed files, for every scenario.

One step is shared with the engine, not reimplemented: how the reciprocal support services'
flows are booked to the öre (`pipelines.lib.allocation.reciprocal.allocate_reciprocal`). Its
per-giver flows are a min-cost flow rounding (`flow_rounding.round_flow`) whose ties only that
algorithm fixes (node order, edge order), so a second implementation could not match it to the
öre, and the exact amounts it starts from have denominators up to (10^12)^n, beyond DuckDB's
128-bit integers. The SQL floor gets these flows as a table computed in Python between its two
parts (`_engine_reciprocal_flows`; its time is part of the floor's time). The pandas baseline
solves the group itself (Gauss-Jordan on Fractions) and rounds what each ordinary service gets
from the group by its own largest remainder, then takes only the split of those amounts over
the givers from the engine, after checking that the engine's flows add up to its amounts.
Everything else in both is independent of the engine's code.

Scope: the plan scenarios (budget, forecasts, proposal: monthly pools by floor division, fixed
keys on the default cost centre, planned volume shares within a key-set population) and the
outcome (ledger rows mapped to services by the year's mapping rules; monthly pools per service;
support services charged on by step-down and the exact reciprocal solve; each service's own
cost split over its weights of the month, fixed keys or actual volumes; what support services
gave it split per organisation onto the default cost centre; price-list services charged unit
price x actual volume in the months they have a pool, the difference being the settlement;
direct services charged their ledger rows). Every split is the engine's largest remainder to
the öre (ties: lower code); money is integer öre throughout (no float touches an amount).

Both read the landing folder as delivered, with the ledger as CSV: the benchmark generates its
cities with `fordela demo-data --ledger-formats csv` (SQL cannot read SIE 4 or Excel). Their
result is compared with the pipeline per fiscal year x month x scenario x service x consumer
organisation (`pipeline_totals`, `same_totals`, `first_differences`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from math import floor
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from pipelines.lib.allocation.reciprocal import ReciprocalAllocation, allocate_reciprocal

# (fiscal_year, period_month, scenario, service_id, consumer_org_code) -> öre
Key = tuple[int, date, str, str, str | None]
Totals = dict[Key, int]

FLOOR_SQL = Path(__file__).with_name("floor.sql")
# the line of floor.sql where the engine's reciprocal flows are computed and registered
ENGINE_STEP = "-- @engine_reciprocal_flows\n"


@dataclass(frozen=True)
class Baseline:
    seconds: float  # everything, the engine's reciprocal step included
    totals: Totals
    engine_step_seconds: float = 0.0  # of which in allocate_reciprocal (the shared step)


# --- the shared step: the reciprocal flows booked by the engine ---------------------------------


RECIPROCAL_FLOWS = pa.schema(
    [
        ("fiscal_year", pa.int32()),
        ("period_month", pa.date32()),
        ("support_service_id", pa.string()),
        ("receiving_service_id", pa.string()),
        ("amount_ore", pa.int64()),
    ]
)


def _booked_flows(allocation: ReciprocalAllocation) -> list[tuple[str, str, int]]:
    """(giver, receiver, öre) of a month, leaving out the flows that are 0 exactly and booked
    0, as the pipeline does (int_reciprocal_flows_rounded)."""
    return [
        (giver, receiver, amount)
        for (giver, receiver), amount in sorted(allocation.amounts.items())
        if amount or allocation.exact[(giver, receiver)]
    ]


def _engine_reciprocal_flows(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The floor's reciprocal flows: its `reciprocal_available` (per month) and `support`
    shares (scaled by 10^12) through allocate_reciprocal, as a table for the script's second
    part."""
    shares: dict[int, dict[tuple[str, str], Fraction]] = defaultdict(dict)
    for year, giver, receiver, w in con.execute(
        "select fiscal_year, support_service_id, receiving_service_id, w from support "
        "where method = 'reciprocal'"
    ).fetchall():
        shares[year][(giver, receiver)] = Fraction(int(w), 10**12)
    available: dict[tuple[int, date], dict[str, int]] = defaultdict(dict)
    for year, period_month, service_id, available_ore in con.execute(
        "select fiscal_year, period_month, service_id, available_ore from reciprocal_available"
    ).fetchall():
        available[(year, period_month)][service_id] = int(available_ore)
    columns: dict[str, list[object]] = defaultdict(list)
    for (year, period_month), month in sorted(available.items()):
        for giver, receiver, amount in _booked_flows(allocate_reciprocal(month, shares[year])):
            for name, value in zip(
                RECIPROCAL_FLOWS.names,
                (year, period_month, giver, receiver, amount),
                strict=True,
            ):
                columns[name].append(value)
    return pa.table({name: columns[name] for name in RECIPROCAL_FLOWS.names}, RECIPROCAL_FLOWS)


# --- the SQL floor ------------------------------------------------------------------------------


def sql_floor(data_dir: Path) -> Baseline:
    """floor.sql's first part, the engine's reciprocal flows registered as
    `engine_reciprocal_flows`, then its second part; timed as a whole."""
    landing = data_dir / "landing"
    sql = FLOOR_SQL.read_text().replace("{landing}", str(landing))
    before, marker, after = sql.partition(ENGINE_STEP)
    if not marker:
        raise ValueError(f"{FLOOR_SQL.name} has no line {ENGINE_STEP!r}")
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(before)
    step_started = time.perf_counter()
    con.register("engine_reciprocal_flows", _engine_reciprocal_flows(con))
    engine_step = time.perf_counter() - step_started
    rows = con.execute(after).fetchall()
    seconds = time.perf_counter() - started
    con.close()
    return Baseline(
        seconds,
        {(int(y), m, s, sv, o): int(a) for y, m, s, sv, o, a in rows},
        engine_step_seconds=engine_step,
    )


# --- pandas: helpers an analyst writes once -----------------------------------------------------


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str)


def _scaled(values: pd.Series, decimals: int) -> pd.Series:
    """Decimal text -> integer count of 10^-decimals, exactly ('-12.5', 2 -> -1250)."""
    text = values.str.strip()
    negative = text.str.startswith("-")
    parts = text.str.lstrip("+-").str.partition(".")
    if (parts[2].str.len() > decimals).any():
        raise ValueError(f"more than {decimals} decimals in {values.name}")
    units = parts[0].replace("", "0").astype("int64") * 10**decimals + parts[2].str.ljust(
        decimals, "0"
    ).astype("int64")
    return units.where(~negative, -units)


def _valid_in(frame: pd.DataFrame, year: pd.Series | int) -> pd.Series:
    """Rows whose validity (ISO dates as text) overlaps the fiscal year."""
    first = pd.Series(year, index=frame.index).astype(str) + "-01-01"
    last = pd.Series(year, index=frame.index).astype(str) + "-12-31"
    return (frame["valid_from"] <= last) & (frame["valid_to"].isna() | (frame["valid_to"] >= first))


def _largest_remainder(pool: int, weights: Sequence[int], ties: Sequence[str]) -> list[int]:
    """Split `pool` öre over integer weights: floors, then one öre more to the largest
    remainders (ties: lower code). Python integers, so the products never overflow.

    Deliberately not `pipelines.lib.allocation.largest_remainder` (the one implementation every
    other Python caller uses): a baseline shares no code with the engine it is compared with."""
    total = sum(weights)
    sign = -1 if total < 0 else 1
    total *= sign
    products = [pool * w * sign for w in weights]
    floors = [p // total for p in products]
    remainders = [p - f * total for p, f in zip(products, floors, strict=True)]
    extra = pool - sum(floors)
    for i in sorted(range(len(floors)), key=lambda i: (-remainders[i], ties[i] or ""))[:extra]:
        floors[i] += 1
    return floors


def _round_to_whole_sum(values: dict[str, Fraction]) -> dict[str, int]:
    """Exact amounts whose sum is whole, each rounded down or up: the floors, then one öre
    more to the largest fractional parts (ties: lower code) until the sum is met."""
    floors = {k: floor(v) for k, v in values.items()}
    leftover = sum(values.values(), Fraction(0)) - sum(floors.values())
    if leftover.denominator != 1:
        raise ValueError(f"the amounts sum to {sum(values.values())}, not to whole öre")
    for k in sorted(values, key=lambda k: (floors[k] - values[k], k))[: int(leftover)]:
        floors[k] += 1
    return floors


def _groups(members: Sequence[str], share: dict[tuple[str, str], Fraction]) -> dict[str, str]:
    """Each service's group: the services connected by shares between them, named by their
    first code."""
    group = {s: s for s in members}
    changed = True
    while changed:  # spread the smallest code along every share, either way, until stable
        changed = False
        for giver, receiver in share:
            if receiver in group and group[giver] != group[receiver]:
                group[giver] = group[receiver] = min(group[giver], group[receiver])
                changed = True
    return group


def _solve_exact(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction]:
    """x with matrix @ x = rhs (Gauss-Jordan on Fractions)."""
    n = len(rhs)
    a = [row[:] + [rhs[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = next(r for r in range(col, n) if a[r][col] != 0)
        a[col], a[pivot] = a[pivot], a[col]
        a[col] = [v / a[col][col] for v in a[col]]
        for r in range(n):
            if r != col and a[r][col] != 0:
                factor = a[r][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col], strict=True)]
    return [a[i][n] for i in range(n)]


def _default_centres(centres: pd.DataFrame, orgs: pd.DataFrame) -> pd.Series:
    """The default cost centre of each row's (org_code, fiscal_year)."""
    defaults = centres[centres["is_default"]]
    merged = (
        orgs[["org_code", "fiscal_year"]].reset_index().merge(defaults, on="org_code", how="left")
    )
    merged = merged[merged["cost_centre_code"].isna() | _valid_in(merged, merged["fiscal_year"])]
    return (
        merged.drop_duplicates("index").set_index("index")["cost_centre_code"].reindex(orgs.index)
    )


def _in_population(weights: pd.DataFrame, keys: pd.DataFrame) -> pd.Series:
    """Rows whose rule names no key set, or whose organisation has a share in it that year."""
    members = (
        weights[["fiscal_year", "key_set", "service_id"]]
        .drop_duplicates()
        .merge(keys, on=["key_set", "service_id"])
    )
    members = members[_valid_in(members, members["fiscal_year"])]
    members = members[["fiscal_year", "key_set", "service_id", "org_code"]].drop_duplicates()
    found = weights.merge(members, how="left", indicator=True)["_merge"].eq("both").to_numpy()
    return weights["key_set"].isna() | found


def _key_weights(rules: pd.DataFrame, keys: pd.DataFrame, centres: pd.DataFrame) -> pd.DataFrame:
    """Fixed keys: each organisation's share (x 10^12) on its default cost centre."""
    weights = rules[rules["allocation_method"] == "fixed_key"].merge(
        keys, on=["key_set", "service_id"]
    )
    weights = weights[_valid_in(weights, weights["fiscal_year"])].copy()
    weights["cost_centre_code"] = _default_centres(centres, weights)
    return weights


def _volume_weights(
    rules: pd.DataFrame,
    volumes: pd.DataFrame,
    on: list[str],
    keys: pd.DataFrame,
    org_of: dict[str, str],
) -> pd.DataFrame:
    """Driver volumes (x 10^3) per cost centre, within the rule's key-set population."""
    weights = rules[rules["allocation_method"].isin(["driver_share", "price_list"])].merge(
        volumes, on=on
    )
    weights["org_code"] = weights["cost_centre_code"].map(org_of)
    return weights[_in_population(weights, keys)]


# --- pandas: the allocation ---------------------------------------------------------------------


def pandas_baseline(data_dir: Path) -> Baseline:
    """What an analyst would write: read the CSVs with pandas, build the weights with merges,
    loop over the pools (plan lines, service-months, support steps) and split each in Python
    integers."""
    landing = data_dir / "landing"
    started = time.perf_counter()

    centres = _read(landing / "organisations" / "cost_centres.csv")
    centres["is_default"] = centres["is_default"].str.lower() == "true"
    org_of = dict(zip(centres["cost_centre_code"], centres["org_code"], strict=True))
    keys = _read(landing / "plan" / "allocation_keys.csv")
    keys["w"] = _scaled(keys["share"], 12)
    keys = keys[keys["w"] > 0].drop(columns="share")
    methods = _read(landing / "plan" / "service_methods.csv")
    methods["fiscal_year"] = methods["fiscal_year"].astype(int)

    plan_rules = methods[methods["scenario"] != "outcome"]
    outcome_rules = (
        methods[methods["scenario"].isin(["outcome", "budget"])]
        .sort_values("scenario", key=lambda s: s != "outcome", kind="stable")
        .drop_duplicates(["fiscal_year", "service_id"])
        .assign(scenario="outcome")
    )

    rows: list[tuple] = []  # (fiscal_year, 'YYYY-MM', scenario, service_id, org_code, öre)
    rows += _plan_allocation(landing, plan_rules, keys, centres, org_of)
    rows += _outcome_allocation(landing, outcome_rules, keys, centres, org_of)

    allocated = pd.DataFrame(
        rows, columns=["fiscal_year", "period", "scenario", "service_id", "org_code", "ore"]
    )
    sums = allocated.groupby(
        ["fiscal_year", "period", "scenario", "service_id", "org_code"], dropna=False
    )["ore"].sum()
    totals: Totals = {
        (int(y), date(int(p[:4]), int(p[5:7]), 1), s, sv, None if pd.isna(o) else o): int(a)
        for (y, p, s, sv, o), a in sums.items()
    }
    return Baseline(time.perf_counter() - started, totals)


def _plan_allocation(
    landing: Path,
    rules: pd.DataFrame,
    keys: pd.DataFrame,
    centres: pd.DataFrame,
    org_of: dict[str, str],
) -> list[tuple]:
    plan = _read(landing / "plan" / "plan_amounts.csv")
    plan["fiscal_year"] = plan["fiscal_year"].astype(int)
    plan["annual_ore"] = _scaled(plan["amount_sek"], 2)
    planned = _read(landing / "plan" / "planned_volumes.csv")
    planned["fiscal_year"] = planned["fiscal_year"].astype(int)
    planned["w"] = _scaled(planned["quantity"], 3)
    planned = planned[planned["w"] > 0]

    weights = pd.concat(
        [
            _key_weights(rules, keys, centres),
            _volume_weights(
                rules, planned, ["fiscal_year", "scenario", "driver_code"], keys, org_of
            ),
        ]
    )
    by_rule = {k: g for k, g in weights.groupby(["fiscal_year", "scenario", "service_id"])}

    rows = []
    for line in plan.itertuples(index=False):
        w = by_rule.get((line.fiscal_year, line.scenario, line.service_id))
        if w is None:
            continue
        weight_list, ties, orgs = (
            w["w"].tolist(),
            w["cost_centre_code"].tolist(),
            w["org_code"].tolist(),
        )
        # P = 12 q + r: months 1..r get q + 1, the others q; split each value once
        q, r = divmod(line.annual_ore, 12)
        for pool, months in ((q + 1, range(1, r + 1)), (q, range(r + 1, 13))):
            if not months:
                continue
            per_org: dict[str, int] = defaultdict(int)
            for org, ore in zip(orgs, _largest_remainder(pool, weight_list, ties), strict=True):
                per_org[org] += ore
            for month in months:
                period = f"{line.fiscal_year}-{month:02d}"
                rows += [
                    (line.fiscal_year, period, line.scenario, line.service_id, o, a)
                    for o, a in per_org.items()
                ]
    return rows


def _map_ledger(landing: Path) -> pd.DataFrame:
    """Ledger rows on cost and revenue accounts with their service: the first matching mapping
    rule of the year in (priority, rule_id) order; unmapped rows go to UNALLOCATED."""
    ledger = pd.concat(_read(p) for p in sorted((landing / "ledger").glob("ledger_*.csv")))
    ledger = ledger.reset_index(drop=True)
    ledger["fiscal_year"] = ledger["period"].str[:4].astype(int)
    ledger["amount_ore"] = _scaled(ledger["amount_sek"], 2)
    accounts = _read(landing / "ledger" / "accounts.csv")
    accounts["fiscal_year"] = accounts["fiscal_year"].astype(int)
    ledger = ledger.merge(
        accounts[["fiscal_year", "account", "account_class"]],
        on=["fiscal_year", "account"],
        how="left",
    )
    by_digit = (
        ledger["account"]
        .str[0]
        .map({"1": "balance", "2": "balance", "3": "revenue"})
        .fillna("cost")
    )
    ledger = ledger[ledger["account_class"].fillna(by_digit) != "balance"].copy()
    ledger["account_number"] = ledger["account"].astype(int)

    rules = _read(landing / "ledger" / "mapping_rules.csv")
    for column in ("fiscal_year", "priority", "account_from", "account_to"):
        rules[column] = rules[column].astype(int)
    ledger["service_id"] = None
    ledger["cost_type"] = None
    for rule in rules.sort_values(["priority", "rule_id"]).itertuples(index=False):
        hit = (
            ledger["service_id"].isna()
            & (ledger["fiscal_year"] == rule.fiscal_year)
            & ledger["account_number"].between(rule.account_from, rule.account_to)
        )
        for column in ("activity_code", "cost_centre_code", "project_code"):
            value = getattr(rule, column)
            if pd.notna(value):
                hit &= ledger[column] == value
        ledger.loc[hit, ["service_id", "cost_type"]] = [rule.service_id, rule.cost_type]
    ledger["is_unallocated"] = ledger["service_id"].isna()
    ledger["service_id"] = ledger["service_id"].fillna("UNALLOCATED")
    ledger["cost_type"] = ledger["cost_type"].fillna(
        ledger["project_code"].notna().map({True: "development", False: "maintenance"})
    )
    return ledger


def _support_flows(
    support: pd.DataFrame,
    own: dict[tuple[str, str], int],
    months: dict[int, list[str]],
    all_months: dict[int, list[str]],
) -> list[tuple]:
    """(fiscal_year, period, support service, receiving service, method, öre): step-down in
    step order, then the reciprocal group solved exactly and booked to the öre."""
    flows = []
    received: dict[tuple[str, str], int] = defaultdict(int)  # (period, service) -> öre
    step_down = support[(support["method"] == "step_down") & (support["w"] > 0)]
    for year, year_shares in step_down.groupby("fiscal_year"):
        for _, step in year_shares.groupby("step_order"):
            made = []
            for giver, shares in step.groupby("support_service_id"):
                for period in months[year]:
                    pool = own.get((period, giver), 0) + received[(period, giver)]
                    if pool == 0:
                        continue
                    receivers = shares["receiving_service_id"].tolist()
                    amounts = _largest_remainder(pool, shares["w"].tolist(), receivers)
                    made += [
                        (year, period, giver, r, "step_down", a)
                        for r, a in zip(receivers, amounts, strict=True)
                    ]
            for flow in made:  # what a step gives counts from the next step on
                received[(flow[1], flow[3])] += flow[5]
            flows += made

    # the reciprocal group: solved and rounded per receiver here; the split over the givers is
    # the engine's (module docstring), checked against the amounts rounded here
    reciprocal = support[support["method"] == "reciprocal"]
    for year, year_shares in reciprocal.groupby("fiscal_year"):
        members = sorted(year_shares["support_service_id"].unique())
        share = {
            (g, r): Fraction(w, 10**12)
            for g, r, w in zip(
                year_shares["support_service_id"],
                year_shares["receiving_service_id"],
                year_shares["w"],
                strict=True,
            )
            if w > 0
        }
        group = _groups(members, share)
        # T_j - sum_i share(i -> j) T_i = available_j
        matrix = [[Fraction(int(i == j)) - share.get((i, j), 0) for i in members] for j in members]
        for period in all_months[year]:
            available = {s: own.get((period, s), 0) + received[(period, s)] for s in members}
            total = dict(
                zip(
                    members,
                    _solve_exact(matrix, [Fraction(available[s]) for s in members]),
                    strict=True,
                )
            )
            # what each group gives each ordinary service, exactly, then to the öre by largest
            # remainder over the group's ordinary receivers
            exact: dict[str, dict[str, Fraction]] = defaultdict(lambda: defaultdict(Fraction))
            for (giver, receiver), s in share.items():
                if receiver not in group:
                    exact[group[giver]][receiver] += s * total[giver]
            expected = {
                (g, receiver): amount
                for g, amounts in exact.items()
                for receiver, amount in _round_to_whole_sum(amounts).items()
            }
            booked = _booked_flows(allocate_reciprocal(available, share))
            got: dict[tuple[str, str], int] = {key: 0 for key in expected}
            for giver, receiver, amount in booked:
                if receiver not in group:
                    got[(group[giver], receiver)] += amount
            if got != expected:
                raise ValueError(
                    f"{period}: the engine's reciprocal flows give the ordinary services "
                    f"{sorted(got.items())}, the baseline rounds {sorted(expected.items())}"
                )
            flows += [(year, period, g, r, "reciprocal", a) for g, r, a in booked]
    return flows


def _outcome_allocation(
    landing: Path,
    rules: pd.DataFrame,
    keys: pd.DataFrame,
    centres: pd.DataFrame,
    org_of: dict[str, str],
) -> list[tuple]:
    ledger = _map_ledger(landing)
    pools = (
        ledger.groupby(["fiscal_year", "period", "service_id", "cost_type", "is_unallocated"])[
            "amount_ore"
        ]
        .sum()
        .reset_index()
    )
    allocatable = pools[~pools["is_unallocated"]]
    own = allocatable.groupby(["period", "service_id"])["amount_ore"].sum().to_dict()
    months = allocatable.groupby("fiscal_year")["period"].unique().map(sorted).to_dict()
    all_months = pools.groupby("fiscal_year")["period"].unique().map(sorted).to_dict()

    support = _read(landing / "plan" / "support_allocations.csv")
    support = support[support["scenario"] == "outcome"].copy()
    support["fiscal_year"] = support["fiscal_year"].astype(int)
    support["step_order"] = support["step_order"].astype(int)
    support["w"] = _scaled(support["share"], 12)
    flows = pd.DataFrame(
        _support_flows(support, own, months, all_months),
        columns=["fiscal_year", "period", "support_service_id", "service_id", "method", "ore"],
    )
    is_support = set(zip(support["fiscal_year"], support["support_service_id"], strict=True))

    # the pools the consumers are charged: own cost per cost type, and a row on the catalogue's
    # cost type for what a service received or passed on
    services = _read(landing / "services" / "services.csv")
    touched = pd.concat(
        [
            flows[["fiscal_year", "period", "service_id"]],
            flows[["fiscal_year", "period", "support_service_id"]].rename(
                columns={"support_service_id": "service_id"}
            ),
        ]
    ).drop_duplicates()
    versions = touched.merge(
        services[["service_id", "cost_type", "valid_from", "valid_to"]], on="service_id"
    )
    day = versions["period"] + "-01"
    versions = versions[
        (versions["valid_from"] <= day)
        & (versions["valid_to"].isna() | (versions["valid_to"] >= day))
    ]
    typed = touched.merge(
        versions[["period", "service_id", "cost_type"]], on=["period", "service_id"], how="left"
    )
    typed["cost_type"] = typed["cost_type"].fillna("maintenance")
    pool_rows = pd.concat(
        [
            pools[["fiscal_year", "period", "service_id", "cost_type", "is_unallocated"]],
            typed[["fiscal_year", "period", "service_id", "cost_type"]].assign(
                is_unallocated=False
            ),
        ]
    )
    pool_rows = pool_rows.drop_duplicates(["period", "service_id", "cost_type"])
    support_pool = pd.MultiIndex.from_frame(pool_rows[["fiscal_year", "service_id"]]).isin(
        list(is_support)
    )
    pool_rows = pool_rows[~pool_rows["is_unallocated"].to_numpy() & ~support_pool]
    pool_count = pool_rows.groupby(["period", "service_id"]).size().rename("pool_rows")

    # weights: fixed keys in every month with pools, actual volumes of the month
    volumes = pd.concat(_read(p) for p in sorted((landing / "volumes").glob("volumes_*.csv")))
    volumes["fiscal_year"] = volumes["period"].str[:4].astype(int)
    volumes["w"] = _scaled(volumes["quantity"], 3)
    volumes = volumes[volumes["w"] > 0]
    fixed = _key_weights(rules, keys, centres)
    fixed = fixed.merge(
        pd.Series(months, name="period").explode().rename_axis("fiscal_year").reset_index(),
        on="fiscal_year",
    )
    weights = pd.concat(
        [fixed, _volume_weights(rules, volumes, ["fiscal_year", "driver_code"], keys, org_of)]
    )

    rows = []
    splittable = weights[weights["allocation_method"].isin(["fixed_key", "driver_share"])]
    by_month = {k: g for k, g in splittable.groupby(["period", "service_id"])}

    # a service's own cost, over its weights of the month
    for pool in pools[pools["service_id"].isin(splittable["service_id"].unique())].itertuples(
        index=False
    ):
        w = by_month.get((pool.period, pool.service_id))
        if (
            w is None
            or pool.is_unallocated
            or pool.amount_ore == 0
            or (pool.fiscal_year, pool.service_id) in is_support
        ):
            continue
        amounts = _largest_remainder(
            pool.amount_ore, w["w"].tolist(), w["cost_centre_code"].tolist()
        )
        rows += [
            (pool.fiscal_year, pool.period, "outcome", pool.service_id, o, a)
            for o, a in zip(w["org_code"], amounts, strict=True)
        ]

    # what support services gave it, per organisation on the default cost centre
    per_org = splittable.groupby(
        ["fiscal_year", "period", "service_id", "org_code"], as_index=False
    )["w"].sum()
    per_org["cost_centre_code"] = _default_centres(centres, per_org)
    org_weights = {k: g for k, g in per_org.groupby(["period", "service_id"])}
    received = flows.groupby(["period", "service_id"])["ore"].sum()
    pieces = flows.groupby(
        ["fiscal_year", "period", "service_id", "support_service_id", "method"], as_index=False
    )["ore"].sum()
    for piece in pieces.itertuples(index=False):
        w = org_weights.get((piece.period, piece.service_id))
        if (
            w is None
            or piece.ore == 0
            or received[(piece.period, piece.service_id)] == 0
            or (piece.period, piece.service_id) not in pool_count.index
        ):
            continue
        amounts = _largest_remainder(piece.ore, w["w"].tolist(), w["cost_centre_code"].tolist())
        rows += [
            (piece.fiscal_year, piece.period, "outcome", piece.service_id, o, a)
            for o, a in zip(w["org_code"], amounts, strict=True)
        ]

    # price list: unit price x actual volume, to the öre, in the months the service has a pool
    prices = _read(landing / "plan" / "price_list.csv")
    prices["fiscal_year"] = prices["fiscal_year"].astype(int)
    prices["price"] = _scaled(prices["unit_price_sek"], 4)
    charged = (
        weights[weights["allocation_method"] == "price_list"]
        .merge(
            prices[["fiscal_year", "service_id", "driver_code", "price"]],
            on=["fiscal_year", "service_id", "driver_code"],
        )
        .join(pool_count, on=["period", "service_id"], how="inner")
    )
    units = charged["price"] * charged["w"]  # 10^-7 SEK, rounded half away from zero
    magnitude = (2 * units.abs() + 100_000) // 200_000
    charged["ore"] = magnitude.where(units >= 0, -magnitude) * charged["pool_rows"]
    rows += list(
        zip(
            charged["fiscal_year"],
            charged["period"],
            ["outcome"] * len(charged),
            charged["service_id"],
            charged["org_code"],
            charged["ore"].tolist(),
            strict=True,
        )
    )

    # direct: the ledger rows' own cost centres
    direct_rules = rules.loc[rules["allocation_method"] == "direct", ["fiscal_year", "service_id"]]
    direct = ledger[~ledger["is_unallocated"]].merge(direct_rules, on=["fiscal_year", "service_id"])
    direct = direct.groupby(
        ["fiscal_year", "period", "service_id", "cost_centre_code"], as_index=False
    )["amount_ore"].sum()
    rows += [
        (y, p, "outcome", s, org_of.get(c), a) for y, p, s, c, a in direct.itertuples(index=False)
    ]
    return rows


# --- comparing with the pipeline ----------------------------------------------------------------


def pipeline_totals(warehouse: Path) -> Totals:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select fiscal_year, period_month, scenario, service_id, consumer_org_code, "
            "cast(sum(amount_sek) * 100 as bigint) from marts.fct_allocation group by all"
        ).fetchall()
    return {(int(y), m, s, sv, o): int(a) for y, m, s, sv, o, a in rows}


def _differing(a: Totals, b: Totals) -> Iterable[Key]:
    return (k for k in set(a) | set(b) if a.get(k, 0) != b.get(k, 0))


def same_totals(baseline: Totals, pipeline: Totals) -> bool:
    """Equal to the öre per fiscal year x month x scenario x service x consumer organisation."""
    return next(iter(_differing(baseline, pipeline)), None) is None


def first_differences(baseline: Totals, pipeline: Totals, limit: int = 5) -> str:
    """The first differing keys (sorted), for a failure message; '' when the totals agree."""
    keys = sorted(
        _differing(baseline, pipeline), key=lambda k: tuple("" if v is None else str(v) for v in k)
    )
    lines = [f"{len(keys)} keys differ (öre: baseline vs pipeline)"] if keys else []
    lines += [f"  {k}: {baseline.get(k, 0)} vs {pipeline.get(k, 0)}" for k in keys[:limit]]
    return "\n".join(lines)
