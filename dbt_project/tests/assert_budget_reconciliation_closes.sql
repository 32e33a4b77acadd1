-- A month's total cost is what organisations were charged, plus the unallocated pool, plus the
-- price-list deficit (rpt_budget_reconciliation_monthly), in the month and to date; and the
-- year's price-list deficit is the settlement's (fct_price_settlement, surplus negative).
-- Nothing else may separate the headlines from the organisation tables. Returns what does.

with

reconciliation as (

    select * from {{ ref('rpt_budget_reconciliation_monthly') }}

),

settlements as (

    select * from {{ ref('fct_price_settlement') }}

),

months_not_closing as (

    select
        fiscal_year,
        scenario,
        period_month,
        'month' as what
    from reconciliation
    where total_sek <> allocated_sek + unallocated_sek + price_list_deficit_sek
        or total_ytd_sek <> allocated_ytd_sek + unallocated_ytd_sek + price_list_deficit_ytd_sek

),

settled as (

    select fiscal_year, -sum(surplus_deficit_sek) as deficit_sek
    from settlements
    group by fiscal_year

),

years_not_settled as (

    select
        reconciliation.fiscal_year,
        'outcome' as scenario,
        cast(null as date) as period_month,
        'settlement' as what
    from reconciliation
    left join settled
        on settled.fiscal_year = reconciliation.fiscal_year
    where reconciliation.scenario = 'outcome'
    group by reconciliation.fiscal_year, settled.deficit_sek
    having sum(reconciliation.price_list_deficit_sek) <> coalesce(settled.deficit_sek, 0)

)

select * from months_not_closing
union all
select * from years_not_settled
