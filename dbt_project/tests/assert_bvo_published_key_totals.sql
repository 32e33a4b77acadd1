-- Key totals of the published plan versions (brief section 8), reproduced by the warehouse to
-- the tkr: Budget 2017 = 620 000 run + 69 695 development = 689 695 with the groups
-- 501 055 / 156 325 / 28 222 / 4 093; P0 2016 = 593 500 + 23 250 = 616 750; P1 2016 =
-- 595 154 + 23 070 - 1 474 (Reglering) = 616 750 as printed, which the warehouse shows as
-- 595 155 and 616 751 (the named P1_TOTAL_PLUS_1). Only versions present in the data are
-- checked; a missing line fails.

with

reconciliation as (

    select * from {{ ref('rpt_reconciliation_published') }}

),

expected as (

    select * from (
        values
            ('Budget 2017', 'is_summary_table', 'sum:ALL:maintenance', 620000),
            ('Budget 2017', 'is_summary_table', 'sum:ALL:development', 69695),
            ('Budget 2017', 'is_summary_table', 'total:ALL:all', 689695),
            ('Budget 2017', 'ks_budget_table', 'change:ALL:maintenance', 26500),
            ('Budget 2017', 'is_bilaga1_subtotals', 'group:Stadsdelsförvaltningar', 501055),
            ('Budget 2017', 'is_bilaga1_subtotals', 'group:Fackförvaltningar', 156325),
            ('Budget 2017', 'is_bilaga1_subtotals', 'group:Bolag', 28222),
            ('Budget 2017', 'is_bilaga1_subtotals', 'group:Kommunalförbund', 4093),
            ('Budget 2017', 'is_bilaga1_subtotals', 'group:TOTAL', 689695),
            ('P0 2016', 'is_summary_table', 'sum:ALL:maintenance', 593500),
            ('P0 2016', 'is_summary_table', 'sum:ALL:development', 23250),
            ('P0 2016', 'is_summary_table', 'total:ALL:all', 616750),
            ('P0 2016', 'is_bilaga1_subtotals', 'group:TOTAL', 616750),
            ('P1 2016', 'is_summary_table', 'sum:ALL:maintenance', 595155),
            ('P1 2016', 'is_summary_table', 'sum:ALL:development', 23070),
            ('P1 2016', 'is_summary_table', 'adjustment:ALL:all', -1474),
            ('P1 2016', 'is_summary_table', 'total:ALL:all', 616751)
    ) as t(plan_version, source, line_key, expected_tkr)

),

present_versions as (

    select distinct plan_version from reconciliation

),

final as (

    select
        expected.*,
        reconciliation.warehouse_tkr
    from expected
    inner join present_versions
        on present_versions.plan_version = expected.plan_version
    left join reconciliation
        on reconciliation.plan_version = expected.plan_version
        and reconciliation.source = expected.source
        and reconciliation.line_key = expected.line_key
    where reconciliation.warehouse_tkr is distinct from expected.expected_tkr

)

select * from final
