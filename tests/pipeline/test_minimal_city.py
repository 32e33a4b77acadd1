"""The minimal complete city of docs/input-formats.md publishes, with the amounts the doc states.

The files are read from the doc itself (tests/minimal_city.py), so the doc cannot promise a
delivery that does not publish.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.minimal_city import minimal_city, write_city


@pytest.mark.slow
def test_the_minimal_city_publishes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dagster as dg

    from pipelines.runs import failure_lines, run_full_pipeline

    monkeypatch.setenv("FORDELA_DATA_DIR", str(tmp_path))
    city = minimal_city()
    assert len(city) == 13 and "ledger/ledger_2025-01.csv" in city
    write_city(city, tmp_path / "landing")

    result = run_full_pipeline(dg.DagsterInstance.ephemeral(), raise_on_error=False)

    assert result.success, failure_lines(result)
    snapshot = tmp_path / "serving" / "current.duckdb"
    with duckdb.connect(str(snapshot), read_only=True) as con:
        allocated = con.execute(
            """
            select scenario, consumer_cost_centre_code, allocation_method, count(*),
                   sum(amount_sek)
            from marts.fct_allocation
            where service_id = 'IT-DRIFT'
            group by all order by scenario
            """
        ).fetchall()
        pools = con.execute(
            "select scenario, sum(amount_sek) from marts.fct_service_cost group by all order by 1"
        ).fetchall()
    # The budget of 12 000 kr in twelve monthly pools of 1 000 kr, and January's 1 000 kr of
    # outcome (the budget's fixed key, as the outcome has no rule of its own), all on SKO-1.
    assert allocated == [
        ("budget", "SKO-1", "fixed_key", 12, Decimal("12000.00")),
        ("outcome", "SKO-1", "fixed_key", 1, Decimal("1000.00")),
    ]
    assert pools == [("budget", Decimal("12000.00")), ("outcome", Decimal("1000.00"))]
