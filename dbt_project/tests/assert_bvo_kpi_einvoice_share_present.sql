-- fct_kpi: every month with e-invoice or paper-invoice volumes has the city-wide e-invoice
-- share (EINVOICE / (EINVOICE + PAPER_INVOICE)) between 0 and 1, with the 0.80 target, in
-- force from 2018 and shown as the goal line before. Returns the months that do not.

-- Dagster shows this as an asset check of fct_kpi.
{{ config(meta={'dagster': {'ref': {'name': 'fct_kpi'}}}) }}

{%- set target_from = var('bvo_einvoice_share_target_from', '2018-01-01') %}

with

volumes as (

    select * from {{ ref('stg_raw__volumes') }}

),

kpis as (

    select * from {{ ref('fct_kpi') }}
    where kpi_code = 'EINVOICE_SHARE'
        and org_code = 'ALL'

),

invoice_months as (

    select distinct period_month
    from volumes
    where driver_code in ('EINVOICE', 'PAPER_INVOICE')
        and quantity > 0

),

final as (

    select
        invoice_months.period_month,
        kpis.value,
        kpis.target,
        kpis.is_target_in_force
    from invoice_months
    left join kpis
        on kpis.period_month = invoice_months.period_month
    where kpis.value is null
        or kpis.value < 0
        or kpis.value > 1
        or kpis.target is distinct from {{ var('bvo_einvoice_share_target', 0.80) }}
        or kpis.is_target_in_force is distinct from (invoice_months.period_month >= date '{{ target_from }}')
        or kpis.is_target_met is distinct from (kpis.value >= kpis.target)

)

select * from final
