"""The allocation rule again, a deliberate second implementation (an oracle), from the files.

It reads the landing files straight (plan allocation; in `allocate_support` the outcome's
step-down and reciprocal support allocation) and shares no code with the engine
(`pipelines.lib.allocation`, the dbt models) or the generator (`calibrate.py`), its largest
remainder and Gauss-Jordan included, so that the tests can check the demo data and the dbt
allocation engine against it. The rule, for fiscal year y, scenario c and each plan line
(service s, annual amount P in öre):

1. Monthly pools: q = floor(P / 12), r = P - 12 q; months 1..r get q + 1, the others q.
2. Weights per consumer cost centre: `fixed_key`, and `direct` in a plan scenario (the
   expected consumers' key, docs/input-formats.md) -> the organisation's share in the rule's
   key set for s, on the organisation's default cost centre (valid in y); `driver_share` and
   `price_list` -> the planned annual quantity of the rule's driver per cost centre for (y, c),
   restricted to organisations with a share > 0 in the rule's key set when it is non-empty.
3. Largest remainder per month: raw_i = pool * w_i / W (exact), floor_i = floor(raw_i),
   k = pool - sum(floor_i); the k rows with the largest fractional part (ties: cost centre
   code ascending) get one more öre.

Everything is exact: Fractions for shares and quantities, Python integers for money.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import lcm
from pathlib import Path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _ore(text: str) -> int:
    value = Decimal(text) * 100
    if value != value.to_integral_value():
        raise ValueError(f"amount {text!r} has more than two decimals")
    return int(value)


def _overlaps(valid_from: str, valid_to: str, year: int) -> bool:
    start = date.fromisoformat(valid_from) if valid_from else date.min
    end = date.fromisoformat(valid_to) if valid_to else date.max
    return start <= date(year, 12, 31) and end >= date(year, 1, 1)


def monthly_pools(amount: int) -> list[int]:
    """The twelve monthly pools of an annual amount in öre (floor semantics for negatives)."""
    q = amount // 12
    r = amount - 12 * q
    return [q + 1 if month <= r else q for month in range(1, 13)]


def largest_remainder(pool: int, rows: list[tuple[str, Fraction]]) -> dict[str, int]:
    """Split `pool` öre over (cost centre, weight) rows; ties go to the lower cost centre code."""
    return _split(pool, _integer_weights(rows))


def _integer_weights(rows: list[tuple[str, Fraction]]) -> list[tuple[str, int]]:
    """The same proportions as integers (common denominator), zero weights dropped."""
    rows = [(code, w) for code, w in rows if w > 0]
    if not rows:
        raise ValueError("no row with a positive weight to allocate to")
    denominator = lcm(*(w.denominator for _, w in rows))
    return [(code, int(w * denominator)) for code, w in rows]


def _split(pool: int, weights: list[tuple[str, int]]) -> dict[str, int]:
    total = sum(w for _, w in weights)
    floors: dict[str, int] = {}
    fractions: list[tuple[int, str]] = []
    for code, w in weights:
        whole, rest = divmod(pool * w, total)
        floors[code] = whole
        fractions.append((-rest, code))
    k = pool - sum(floors.values())
    if k:
        for _, code in sorted(fractions)[:k]:
            floors[code] += 1
    return floors


def allocate_plan_detail(
    landing_dir: Path, fiscal_year: int, scenario: str
) -> dict[tuple[str, int, str], int]:
    """(service_id, month, cost_centre_code) -> öre for one plan version."""
    landing_dir = Path(landing_dir)
    year = str(fiscal_year)
    amounts: dict[str, int] = defaultdict(int)
    for r in _rows(landing_dir / "plan" / "plan_amounts.csv"):
        if r["fiscal_year"] == year and r["scenario"] == scenario:
            amounts[r["service_id"]] += _ore(r["amount_sek"])
    if not amounts:
        raise ValueError(f"no plan amounts for {fiscal_year}/{scenario}")
    methods = {
        r["service_id"]: r
        for r in _rows(landing_dir / "plan" / "service_methods.csv")
        if r["fiscal_year"] == year and r["scenario"] == scenario
    }
    keys: dict[tuple[str, str], dict[str, Fraction]] = defaultdict(dict)
    for r in _rows(landing_dir / "plan" / "allocation_keys.csv"):
        if _overlaps(r["valid_from"], r["valid_to"], fiscal_year):
            keys[(r["key_set"], r["service_id"])][r["org_code"]] = Fraction(r["share"])
    org_of: dict[str, str] = {}
    default_cc: dict[str, str] = {}
    for r in _rows(landing_dir / "organisations" / "cost_centres.csv"):
        org_of[r["cost_centre_code"]] = r["org_code"]
        if r["is_default"] == "true" and _overlaps(r["valid_from"], r["valid_to"], fiscal_year):
            if r["org_code"] in default_cc:
                raise ValueError(f"organisation {r['org_code']} has two default cost centres")
            default_cc[r["org_code"]] = r["cost_centre_code"]
    volumes: dict[str, list[tuple[str, Fraction]]] = defaultdict(list)
    for r in _rows(landing_dir / "plan" / "planned_volumes.csv"):
        if r["fiscal_year"] == year and r["scenario"] == scenario:
            volumes[r["driver_code"]].append((r["cost_centre_code"], Fraction(r["quantity"])))

    out: dict[tuple[str, int, str], int] = {}
    if scenario == "outcome":
        raise ValueError("allocate_plan_detail allocates plan scenarios, not the outcome")
    for service, amount in sorted(amounts.items()):
        if service not in methods:
            raise ValueError(
                f"{fiscal_year}/{scenario}: plan line {service} has no allocation method"
            )
        m = methods[service]
        method, driver, key_set = m["allocation_method"], m["driver_code"], m["key_set"]
        if method in ("fixed_key", "direct"):
            shares = keys.get((key_set, service))
            if not shares:
                raise ValueError(f"{m['rule_id']}: key set {key_set!r} has no shares for {service}")
            if sum(shares.values()) != 1:
                raise ValueError(f"{m['rule_id']}: shares of {key_set}/{service} do not sum to 1")
            rows = [(default_cc[org], share) for org, share in shares.items() if share > 0]
        elif method in ("driver_share", "price_list"):
            members = None
            if key_set:
                members = {
                    org for org, share in keys.get((key_set, service), {}).items() if share > 0
                }
            rows = [
                (cc, qty) for cc, qty in volumes[driver] if members is None or org_of[cc] in members
            ]
        else:
            raise NotImplementedError(
                f"{m['rule_id']}: method {method!r} is not part of the oracle"
            )
        weights = _integer_weights(sorted(rows))
        for month, pool in enumerate(monthly_pools(amount), start=1):
            for cc, ore in _split(pool, weights).items():
                if ore:
                    out[(service, month, cc)] = ore
    return out


def allocate_plan(landing_dir: Path, fiscal_year: int, scenario: str) -> dict[str, int]:
    """Organisation code -> allocated öre for one plan version (all services, all months)."""
    landing_dir = Path(landing_dir)
    org_of = {
        r["cost_centre_code"]: r["org_code"]
        for r in _rows(landing_dir / "organisations" / "cost_centres.csv")
    }
    totals: dict[str, int] = defaultdict(int)
    for (_, _, cc), ore in allocate_plan_detail(landing_dir, fiscal_year, scenario).items():
        totals[org_of[cc]] += ore
    return dict(sorted(totals.items()))


# --------------------------------------------------------------------------- outcome pools

UNALLOCATED = "UNALLOCATED"


def ledger_rows(landing_dir: Path, fiscal_year: int) -> list[dict[str, str]]:
    """The canonical ledger rows of a year's monthly files, in any delivered format (read
    through `pipelines.lib.readers`; empty values as "")."""
    from pipelines.lib.readers import CONTRACT_COLUMNS, read_table

    rows: list[dict[str, str]] = []
    for path in sorted((Path(landing_dir) / "ledger").glob(f"ledger_{fiscal_year}-*.*")):
        result = read_table(path, "ledger", CONTRACT_COLUMNS["ledger"])
        if result.row_problems:
            raise ValueError(f"{path.name}: {result.row_problems[0]}")
        rows.extend({k: v or "" for k, v in r.items()} for r in result.records)
    return rows


def outcome_pools(landing_dir: Path, fiscal_year: int) -> dict[tuple[str, int], int]:
    """(service_id, month) -> öre of the year's cost and revenue ledger rows, each mapped by the
    year's mapping rules (lowest priority, then rule id, wins; empty = any); a row no rule maps
    goes to UNALLOCATED. Balance-sheet accounts (classes other than cost and revenue) are left
    out, as in the contract's chart of accounts."""
    landing_dir = Path(landing_dir)
    year = str(fiscal_year)
    classes = {
        r["account"]: r["account_class"]
        for r in _rows(landing_dir / "ledger" / "accounts.csv")
        if r["fiscal_year"] == year
    }
    rules = sorted(
        (
            r
            for r in _rows(landing_dir / "ledger" / "mapping_rules.csv")
            if r["fiscal_year"] == year
        ),
        key=lambda r: (int(r["priority"]), r["rule_id"]),
    )
    pools: dict[tuple[str, int], int] = defaultdict(int)
    for row in ledger_rows(landing_dir, fiscal_year):
        if classes.get(row["account"]) not in ("cost", "revenue"):
            continue
        service = next(
            (
                rule["service_id"]
                for rule in rules
                if rule["account_from"] <= row["account"] <= rule["account_to"]
                and rule["activity_code"] in ("", row["activity_code"])
                and rule["cost_centre_code"] in ("", row["cost_centre_code"])
                and rule["project_code"] in ("", row["project_code"])
            ),
            UNALLOCATED,
        )
        pools[(service, int(row["period"][5:7]))] += _ore(row["amount_sek"])
    return dict(sorted(pools.items()))


# ------------------------------------------------------------------------ support services


def solve_linear(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction]:
    """x with matrix @ x = rhs, exactly (Gauss-Jordan on Fractions; raises if singular)."""
    n = len(rhs)
    a = [[Fraction(v) for v in row] + [Fraction(rhs[i])] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if a[r][col] != 0), None)
        if pivot is None:
            raise ValueError("the reciprocal system is singular (services only serve each other)")
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col and a[r][col] != 0:
                factor = a[r][col] / a[col][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col], strict=True)]
    return [a[i][n] / a[i][i] for i in range(n)]


def allocate_support(
    landing_dir: Path, fiscal_year: int, pools: Mapping[str, int | Fraction]
) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    """Exact step-down and reciprocal allocation of support pools (plan/support_allocations.csv).

    `pools`: the direct cost of each support service (e.g. its outcome ledger total). Steps run
    in `step_order`. A `step_down` support service passes its direct cost plus what it received
    to its receivers; it may only give to services of later steps or to non-support services.
    Support services sharing a step with method `reciprocal` solve T = D + S^T T among
    themselves (T total cost, D direct cost plus received, S their shares to each other) and
    pass T x share to receivers outside the group. Returns (to_services, totals): what each
    receiving non-support service gets, and each support service's total cost T.
    """
    rows = [
        r
        for r in _rows(Path(landing_dir) / "plan" / "support_allocations.csv")
        if r["fiscal_year"] == str(fiscal_year) and r["scenario"] == "outcome"
    ]
    shares: dict[str, dict[str, Fraction]] = defaultdict(dict)
    step_of: dict[str, int] = {}
    method_of: dict[str, str] = {}
    for r in rows:
        shares[r["support_service_id"]][r["receiving_service_id"]] = Fraction(r["share"])
        step_of[r["support_service_id"]] = int(r["step_order"])
        method_of[r["support_service_id"]] = r["method"]
    for sid, to in shares.items():
        if sum(to.values()) != 1:
            raise ValueError(f"support_allocations {fiscal_year}: shares of {sid} do not sum to 1")
    received: dict[str, Fraction] = defaultdict(Fraction)
    for sid, amount in pools.items():
        received[sid] += Fraction(amount)
    totals: dict[str, Fraction] = {}
    for step in sorted(set(step_of.values())):
        group = sorted(s for s in step_of if step_of[s] == step)
        for sid in group:
            for receiver in shares[sid]:
                if receiver in step_of and step_of[receiver] < step:
                    raise ValueError(f"{sid} (step {step}) allocates back to {receiver}")
                if (
                    receiver in step_of
                    and step_of[receiver] == step
                    and (method_of[sid] != "reciprocal" or receiver == sid)
                ):
                    raise ValueError(f"{sid} (step {step}) allocates within its own step")
        # T_i - sum_j share(j -> i) T_j = D_i for i in the group.
        matrix = [
            [Fraction(int(i == j)) - shares[j].get(i, Fraction(0)) for j in group] for i in group
        ]
        solved = solve_linear(matrix, [received[s] for s in group])
        for sid, total in zip(group, solved, strict=True):
            totals[sid] = total
            for receiver, share in shares[sid].items():
                if receiver not in group:
                    received[receiver] += total * share
    services = {r: v for r, v in received.items() if r not in step_of}
    return dict(sorted(services.items())), totals
