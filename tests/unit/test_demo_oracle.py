"""The reference allocation rule (oracle) on tiny hand-made cases."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from pipelines.lib.demo.oracle import (
    allocate_plan,
    allocate_plan_detail,
    largest_remainder,
    monthly_pools,
)


def test_monthly_pools_give_the_remainder_to_the_first_months() -> None:
    assert monthly_pools(1_000_005) == [83_334] * 9 + [83_333] * 3
    assert sum(monthly_pools(1_000_005)) == 1_000_005
    assert monthly_pools(24) == [2] * 12


def test_monthly_pools_floor_negative_amounts_towards_minus_infinity() -> None:
    pools = monthly_pools(-147_400_000 + 5)  # Reglering-like negative line, not a multiple of 12
    assert sum(pools) == -147_399_995
    q = -147_399_995 // 12
    assert set(pools) <= {q, q + 1}
    assert pools[0] == q + 1 and pools[-1] == q


def test_largest_remainder_preserves_the_pool_and_breaks_ties_by_code() -> None:
    rows = [("B-0002", Fraction(1)), ("A-0001", Fraction(1)), ("C-0003", Fraction(1))]
    assert largest_remainder(100, rows) == {"B-0002": 33, "A-0001": 34, "C-0003": 33}
    assert largest_remainder(101, rows) == {"B-0002": 34, "A-0001": 34, "C-0003": 33}


def test_largest_remainder_gives_the_extra_ore_to_the_largest_fractions() -> None:
    rows = [("X", Fraction(1, 10)), ("Y", Fraction(3, 10)), ("Z", Fraction(6, 10))]
    # raw 1.3 / 3.9 / 7.8 -> floors 1/3/7, two öre left for Y (0.9) and Z (0.8)
    assert largest_remainder(13, rows) == {"X": 1, "Y": 4, "Z": 8}


def test_largest_remainder_handles_negative_pools() -> None:
    rows = [("X", Fraction(1)), ("Y", Fraction(2))]
    result = largest_remainder(-10, rows)
    assert sum(result.values()) == -10
    assert result == {"X": -3, "Y": -7}  # raw -3.33 / -6.67: floors -4 / -7, X's 0.67 wins


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_allocate_plan_uses_keys_on_default_cost_centres_and_volumes_in_population(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path / "organisations" / "cost_centres.csv",
        "cost_centre_code,cost_centre_name,org_code,is_default,valid_from,valid_to\n"
        "A-0001,A central,A,true,2016-01-01,\n"
        "A-0002,A unit,A,false,2016-01-01,\n"
        "B-0001,B central,B,true,2016-01-01,\n"
        "C-0001,C central,C,true,2016-01-01,\n",
    )
    _write(
        tmp_path / "plan" / "plan_amounts.csv",
        "fiscal_year,scenario,plan_version,service_id,cost_type,amount_sek\n"
        "2017,budget,P0 2017,KEYED,maintenance,1200.00\n"
        "2017,budget,P0 2017,VOL,maintenance,120.12\n",
    )
    _write(
        tmp_path / "plan" / "service_methods.csv",
        "fiscal_year,scenario,service_id,rule_id,allocation_method,driver_code,key_set\n"
        "2017,budget,KEYED,R1,fixed_key,,K\n"
        "2017,budget,VOL,R2,driver_share,WORKPLACE,P\n",
    )
    _write(
        tmp_path / "plan" / "allocation_keys.csv",
        "key_set,service_id,org_code,share,valid_from,valid_to\n"
        "K,KEYED,A,0.250000000000,2017-01-01,2017-12-31\n"
        "K,KEYED,B,0.750000000000,2017-01-01,2017-12-31\n"
        "P,VOL,A,0.500000000000,2017-01-01,2017-12-31\n"
        "P,VOL,B,0.500000000000,2017-01-01,2017-12-31\n",
    )
    _write(
        tmp_path / "plan" / "planned_volumes.csv",
        "fiscal_year,scenario,driver_code,cost_centre_code,quantity\n"
        "2017,budget,WORKPLACE,A-0002,10\n"
        "2017,budget,WORKPLACE,B-0001,30\n"
        "2017,budget,WORKPLACE,C-0001,60\n",  # C is outside the population
    )
    result = allocate_plan(tmp_path, 2017, "budget")
    # VOL: 1001 öre a month over A-0002 (10) and B-0001 (30): 250.25 / 750.75 -> 250 / 751
    assert result == {"A": 30000 + 250 * 12, "B": 90000 + 751 * 12}
    detail = allocate_plan_detail(tmp_path, 2017, "budget")
    assert detail[("KEYED", 1, "A-0001")] == 2500
    assert ("VOL", 1, "A-0001") not in detail  # volumes stay on the cost centre that has them
    assert sum(v for (s, _, _), v in detail.items() if s == "VOL") == 12012


def test_allocate_plan_rejects_keys_that_do_not_sum_to_one(tmp_path: Path) -> None:
    _write(
        tmp_path / "organisations" / "cost_centres.csv",
        "cost_centre_code,cost_centre_name,org_code,is_default,valid_from,valid_to\n"
        "A-0001,A,A,true,2016-01-01,\n",
    )
    _write(
        tmp_path / "plan" / "plan_amounts.csv",
        "fiscal_year,scenario,plan_version,service_id,cost_type,amount_sek\n"
        "2017,budget,P0 2017,S,maintenance,100.00\n",
    )
    _write(
        tmp_path / "plan" / "service_methods.csv",
        "fiscal_year,scenario,service_id,rule_id,allocation_method,driver_code,key_set\n"
        "2017,budget,S,R1,fixed_key,,K\n",
    )
    _write(
        tmp_path / "plan" / "allocation_keys.csv",
        "key_set,service_id,org_code,share,valid_from,valid_to\n"
        "K,S,A,0.999999999999,2017-01-01,2017-12-31\n",
    )
    _write(
        tmp_path / "plan" / "planned_volumes.csv",
        "fiscal_year,scenario,driver_code,cost_centre_code,quantity\n",
    )
    with pytest.raises(ValueError, match="do not sum to 1"):
        allocate_plan(tmp_path, 2017, "budget")
