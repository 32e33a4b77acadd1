"""The explanation of allocations (pipelines.lib.allocation.explain) on a real pipeline run's
published snapshot: for a random sample of fct_allocation rows of every scenario and method,
the breakdown sums exactly to the amount and names its vouchers (or plan line) and the driver
rows behind the share, all of which exist in the snapshot's marts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import duckdb
import pytest

from pipelines.lib.allocation.explain import Explanation, explain

pytestmark = pytest.mark.slow

SAMPLE_PER_GROUP = 4


@pytest.fixture(scope="module")
def snapshot(pipeline_run) -> Iterator[duckdb.DuckDBPyConnection]:
    assert pipeline_run.success
    con = duckdb.connect(str(pipeline_run.snapshot), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def sample(snapshot: duckdb.DuckDBPyConnection) -> list[tuple]:
    """A random but reproducible sample: a few rows of every scenario x method."""
    snapshot.execute("select setseed(0.2017)")
    rows = snapshot.execute(
        f"""
        select period_month, scenario, service_id, consumer_cost_centre_code, allocation_method
        from (
            select *, row_number() over (
                partition by scenario, allocation_method order by random()) as pick
            from marts.fct_allocation
        )
        where pick <= {SAMPLE_PER_GROUP}
        order by scenario, allocation_method, pick
        """
    ).fetchall()
    assert len(rows) >= SAMPLE_PER_GROUP * 6
    return rows


def _amount(snapshot: duckdb.DuckDBPyConnection, key: tuple) -> Decimal:
    (amount,) = snapshot.execute(
        """
        select sum(amount_sek) from marts.fct_allocation
        where period_month = ? and scenario = ? and service_id = ?
            and consumer_cost_centre_code = ?
        """,
        list(key),
    ).fetchall()[0]
    return Decimal(amount)


def _exists(
    snapshot: duckdb.DuckDBPyConnection, table: str, file: str | None, row: int | None
) -> bool:
    ((count,),) = snapshot.execute(
        f"select count(*) from marts.{table} where source_file = ? and source_row = ?",
        [file, row],
    ).fetchall()
    return bool(count == 1)


def test_sample_covers_every_method(sample: list[tuple]) -> None:
    assert {r[4] for r in sample} == {
        "direct",
        "fixed_key",
        "driver_share",
        "price_list",
        "step_down",
        "reciprocal",
    }


def test_breakdown_sums_to_the_amount_and_names_its_sources(
    snapshot: duckdb.DuckDBPyConnection, sample: list[tuple]
) -> None:
    for period_month, scenario, service_id, cost_centre, method in sample:
        key = (period_month, scenario, service_id, cost_centre)
        e = explain(
            snapshot,
            period_month=period_month,
            scenario=scenario,
            service_id=service_id,
            consumer_cost_centre_code=cost_centre,
        )
        assert isinstance(e, Explanation)
        assert e.amount_sek == _amount(snapshot, key), key
        assert sum((c.amount_sek for c in e.components), Decimal(0)) == e.amount_sek, key
        # The summary by route (what the page lists) covers every component once, one part per
        # route, and sums to the amount; the vouchers' part is the whole amount for the outcome.
        parts = e.parts
        assert sum((p.amount_sek for p in parts), Decimal(0)) == e.amount_sek, key
        assert sum(p.rows for p in parts) == len(e.components), key
        routes = [
            (
                p.route,
                p.support_service_id,
                p.support_method,
                p.origin_service_id,
                p.pool_service_id,
            )
            for p in parts
        ]
        assert len(set(routes)) == len(routes), key
        assert e.ledger_part_sek == (e.amount_sek if scenario == "outcome" else 0), key
        for line in e.lines:
            assert sum((c.amount_sek for c in line.components), Decimal(0)) == line.amount_sek
            # The route is structured parts: a support line's components name the support
            # service and its method (and the origin only when it is another service).
            for c in line.components:
                if line.support_service_id:
                    assert c.route == "support", (key, c)
                    assert c.support_service_id == line.support_service_id
                    assert c.support_method == line.allocation_method
                    assert c.origin_service_id in (None, c.pool_service_id)
                    assert c.origin_service_id != c.support_service_id
                elif c.route == "support":  # a price-list charge over its whole pool
                    assert line.allocation_method == "price_list" and c.support_method, (key, c)
                else:
                    assert c.route in ("own_cost", "direct_charge", "plan_line"), (key, c)
                    assert c.support_service_id is c.support_method is c.origin_service_id is None
            assert line.rule_id and line.rule_source_file and line.rule_source_row, key
            assert line.drivers, (key, line.rule_id)  # the rows behind the share
            for d in line.drivers:
                assert d.source_file and d.source_row, (key, d)
        if scenario == "outcome":
            assert e.vouchers, key
            for c in e.components:
                assert c.kind == "ledger_row" and c.voucher
                assert _exists(snapshot, "fct_pool_ledger_row", c.source_file, c.source_row)
        else:
            assert {c.kind for c in e.components} == {"plan_line"}
            for c in e.components:
                assert _exists(snapshot, "fct_plan_line", c.source_file, c.source_row)
        volume_rows = [d for d in e.drivers if d.kind in ("volume", "planned_volume")]
        for d in volume_rows:
            assert _exists(snapshot, "fct_driver_volume", d.source_file, d.source_row)
        if method in ("driver_share", "price_list"):
            line = next(x for x in e.lines if x.support_service_id is None)
            own = [d for d in line.drivers if d.kind in ("volume", "planned_volume")]
            assert sum((d.quantity or Decimal(0) for d in own), Decimal(0)) == line.driver_volume, (
                key
            )
        if method == "direct":
            assert all(c.cost_centre_code == cost_centre for c in e.components)
        if method in ("step_down", "reciprocal"):
            support_lines = [x for x in e.lines if x.support_service_id]
            assert support_lines and all(
                any(d.kind == "support_share" for d in x.drivers) for x in support_lines
            )


def test_unknown_key_is_named(snapshot: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(LookupError, match="N999-0001"):
        explain(
            snapshot,
            period_month=date(2017, 3, 1),
            scenario="outcome",
            service_id="IT-ARB",
            consumer_cost_centre_code="N999-0001",
        )
