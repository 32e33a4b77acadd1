-- rpt_budget_area_total_year: a year's total is the sum of its lines, its maintenance +
-- development + other, and the city's total cost of the year in
-- rpt_budget_reconciliation_monthly (its last month's total to date). Returns the years that
-- do not close.

with

totals as (

    select * from {{ ref('rpt_budget_area_total_year') }}

),

reconciliation as (

    select * from {{ ref('rpt_budget_reconciliation_monthly') }}

),

city as (

    select fiscal_year, scenario, total_ytd_sek
    from reconciliation
    qualify row_number() over (partition by fiscal_year, scenario order by period_month desc) = 1

),

lines as (

    select fiscal_year, scenario, sum(total_sek) as total_sek
    from totals
    where line_level = 'line'
    group by fiscal_year, scenario

)

select
    years.fiscal_year,
    years.scenario,
    years.total_sek,
    lines.total_sek as lines_sek,
    city.total_ytd_sek as city_sek
from totals as years
left join lines
    on lines.fiscal_year = years.fiscal_year
    and lines.scenario = years.scenario
left join city
    on city.fiscal_year = years.fiscal_year
    and city.scenario = years.scenario
where years.line_level = 'year'
    and (
        years.total_sek <> coalesce(lines.total_sek, 0)
        or years.total_sek <> years.maintenance_sek + years.development_sek + years.other_sek
        or years.total_sek <> coalesce(city.total_ytd_sek, 0)
    )
