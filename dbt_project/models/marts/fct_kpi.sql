{#- Key performance indicators per month, city-wide (org_code 'ALL') and per organisation, from
    actual volumes and the outcome.

    EINVOICE_SHARE           e-invoices / (e-invoices + scanned paper invoices) received in the
                             month. Target >= var bvo_einvoice_share_target (0.80) from
                             var bvo_einvoice_share_target_from (2018-01-01), the E-handel plan's
                             goal; earlier months carry the same target as the goal line, with
                             is_target_in_force = false.
    WORKPLACES_PER_EMPLOYEE  IT workplaces / employees (WORKPLACE / HEADCOUNT) in the month.
    EHANDEL_COST_PER_INVOICE E-handel run cost (outcome, maintenance) per supplier invoice,
                             year to date (the ledger books costs in lumps; a single month's
                             ratio would mostly show invoice timing). City-wide only: the
                             cost is a shared pool. -#}

{%- set einvoice_target = var('bvo_einvoice_share_target', 0.80) %}
{%- set einvoice_target_from = var('bvo_einvoice_share_target_from', '2018-01-01') %}

with

volumes as (

    select * from {{ ref('stg_raw__volumes') }}

),

cost_centres as (

    select * from {{ ref('stg_raw__cost_centres') }}

),

service_costs as (

    select * from {{ ref('fct_service_cost') }}

),

org_volumes as (

    select
        volumes.period_month,
        cost_centres.org_code,
        sum(case when volumes.driver_code = 'EINVOICE' then volumes.quantity else 0 end)
            as einvoices,
        sum(case when volumes.driver_code = 'PAPER_INVOICE' then volumes.quantity else 0 end)
            as paper_invoices,
        sum(case when volumes.driver_code = 'WORKPLACE' then volumes.quantity else 0 end)
            as workplaces,
        sum(case when volumes.driver_code = 'HEADCOUNT' then volumes.quantity else 0 end)
            as employees
    from volumes
    inner join cost_centres
        on cost_centres.cost_centre_code = volumes.cost_centre_code
    group by volumes.period_month, cost_centres.org_code

),

city_volumes as (

    select
        period_month,
        'ALL' as org_code,
        sum(einvoices) as einvoices,
        sum(paper_invoices) as paper_invoices,
        sum(workplaces) as workplaces,
        sum(employees) as employees
    from org_volumes
    group by period_month

),

all_volumes as (

    select * from org_volumes
    union all
    select * from city_volumes

),

einvoice_share as (

    select
        'EINVOICE_SHARE' as kpi_code,
        period_month,
        org_code,
        einvoices as numerator,
        einvoices + paper_invoices as denominator,
        cast({{ einvoice_target }} as decimal(18, 6)) as target,
        date '{{ einvoice_target_from }}' as target_valid_from
    from all_volumes
    where einvoices + paper_invoices > 0

),

workplaces_per_employee as (

    select
        'WORKPLACES_PER_EMPLOYEE' as kpi_code,
        period_month,
        org_code,
        workplaces as numerator,
        employees as denominator,
        cast(null as decimal(18, 6)) as target,
        cast(null as date) as target_valid_from
    from all_volumes
    where employees > 0

),

ehandel_cost as (

    select
        period_month,
        sum(amount_sek) as cost_sek
    from service_costs
    where scenario = 'outcome'
        and service_area_code = 'EHANDEL'
        and cost_type = 'maintenance'
    group by period_month

),

cost_per_invoice as (

    select
        'EHANDEL_COST_PER_INVOICE' as kpi_code,
        city_volumes.period_month,
        'ALL' as org_code,
        sum(coalesce(ehandel_cost.cost_sek, 0)) over ytd as numerator,
        sum(city_volumes.einvoices + city_volumes.paper_invoices) over ytd as denominator,
        cast(null as decimal(18, 6)) as target,
        cast(null as date) as target_valid_from
    from city_volumes
    left join ehandel_cost
        on ehandel_cost.period_month = city_volumes.period_month
    where city_volumes.period_month in (select period_month from ehandel_cost)
    window ytd as (
        partition by year(city_volumes.period_month)
        order by city_volumes.period_month
        rows between unbounded preceding and current row
    )

),

unioned as (

    select * from einvoice_share
    union all
    select * from workplaces_per_employee
    union all
    select * from cost_per_invoice

),

definitions as (

    select * from (
        values
            ('EINVOICE_SHARE', 'Andel e-fakturor', 'E-invoice share', 'andel', 'min'),
            ('WORKPLACES_PER_EMPLOYEE', 'IT-arbetsplatser per anställd',
                'IT workplaces per employee', 'st/anställd', null),
            ('EHANDEL_COST_PER_INVOICE', 'E-handelns kostnad per leverantörsfaktura (hittills i år)',
                'E-commerce cost per supplier invoice (year to date)', 'kr/faktura', null)
    ) as t(kpi_code, kpi_name_sv, kpi_name_en, unit, target_direction)

),

final as (

    select
        -- ids
        unioned.kpi_code,
        unioned.period_month,
        unioned.org_code,

        -- attributes
        cast(year(unioned.period_month) as integer) as fiscal_year,
        definitions.kpi_name_sv,
        definitions.kpi_name_en,
        definitions.unit,
        definitions.target_direction,

        -- measures
        cast(unioned.numerator as decimal(18, 3)) as numerator,
        cast(unioned.denominator as decimal(18, 3)) as denominator,
        cast(unioned.numerator / unioned.denominator as decimal(18, 6)) as value,
        unioned.target,

        -- dates
        unioned.target_valid_from,

        -- flags
        unioned.org_code = 'ALL' as is_city_wide,
        coalesce(unioned.period_month >= unioned.target_valid_from, false) as is_target_in_force,
        case
            when unioned.target is null then null
            when definitions.target_direction = 'min'
                then cast(unioned.numerator / unioned.denominator as decimal(18, 6)) >= unioned.target
        end as is_target_met

    from unioned
    inner join definitions
        on definitions.kpi_code = unioned.kpi_code

)

select * from final
