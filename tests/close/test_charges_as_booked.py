"""With no month closed, the outcome as booked is fct_allocation's outcome, row for row, and
budget versus outcome shows exactly the figures it showed before the month close existed."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import PipelineRun

pytestmark = pytest.mark.slow


def test_charges_as_booked_equal_the_allocation_with_no_month_closed(
    pipeline_run: PipelineRun,
) -> None:
    assert pipeline_run.success
    with duckdb.connect(str(pipeline_run.snapshot), read_only=True) as con:
        assert con.execute("select count(*) from ops.period_closes").fetchone() == (0,)
        assert con.execute("select count(*) from marts.fct_restatement").fetchone() == (0,)
        assert con.execute(
            "select count(*) from marts.fct_charge where line_kind <> 'charge' or is_closed"
        ).fetchone() == (0,)
        columns = (
            "period_month, fiscal_year, service_id, service_area_code, cost_type, consumer_org_code, "
            "consumer_cost_centre_code, allocation_method, rule_id, support_service_id, driver_code, "
            "driver_volume, share, unit_price_sek, amount_sek"
        )
        allocation = f"select {columns} from marts.fct_allocation where scenario = 'outcome'"
        charges = f"select {columns} from marts.fct_charge"
        for left, right in ((allocation, charges), (charges, allocation)):
            assert con.execute(f"select count(*) from ({left} except all {right})").fetchone() == (
                0,
            )
        assert con.execute(f"select count(*) from ({charges})").fetchone()[0] > 0  # type: ignore[index]


def test_budget_versus_outcome_reads_the_same_outcome_as_before(pipeline_run: PipelineRun) -> None:
    """The outcome per month x service x organisation is what it was when budget versus outcome
    summed fct_allocation: both the intermediate amounts and the report."""
    with duckdb.connect(str(pipeline_run.warehouse), read_only=True) as con:
        differences = con.execute(
            """
            with before as (
                select period_month, service_id, cost_type, consumer_org_code, sum(amount_sek) as amount
                from marts.fct_allocation where scenario = 'outcome' group by all
            ), now as (
                select period_month, service_id, cost_type, consumer_org_code, amount_sek as amount
                from intermediate.int_bvo_scenario_amounts_monthly
                where scenario = 'outcome' and not is_uncharged and amount_sek <> 0
            )
            select count(*) from (
                (select * from before where amount <> 0 except select * from now)
                union all
                (select * from now except select * from before)
            )
            """
        ).fetchone()
        assert differences == (0,)
        report = con.execute(
            """
            with before as (
                select period_month, service_id, consumer_org_code, sum(amount_sek) as amount
                from marts.fct_allocation where scenario = 'outcome' group by all
            ), reported as (
                select period_month, service_id, consumer_org_code, sum(outcome_sek) as amount
                from marts.rpt_budget_vs_outcome_monthly
                where plan_scenario = 'budget' and consumer_org_code <> 'UNALLOCATED'
                group by all
            )
            select count(*), count(*) filter (where b.amount is distinct from r.amount)
            from reported r join before b using (period_month, service_id, consumer_org_code)
            """
        ).fetchone()
        assert report is not None and report[0] > 0 and report[1] == 0
