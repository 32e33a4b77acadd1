-- The internal-invoice lines of a closed month add up to its booked rows (charges and
-- restatements) per consuming organisation and service, to the öre: the export loses
-- nothing but lines of 0,00. Returns the organisation x service x month cells that differ.

{{ config(meta={'dagster': {'ref': {'name': 'fct_invoice_line'}}}) }}

with

charges as (

    select period_month, consumer_org_code, service_id, sum(amount_sek) as charged_sek
    from {{ ref('fct_charge') }}
    where is_closed
    group by all

),

lines as (

    select period_month, consumer_org_code, service_id, sum(amount_sek) as invoiced_sek
    from {{ ref('fct_invoice_line') }}
    group by all

)

select
    coalesce(charges.period_month, lines.period_month) as period_month,
    coalesce(charges.consumer_org_code, lines.consumer_org_code) as consumer_org_code,
    coalesce(charges.service_id, lines.service_id) as service_id,
    charges.charged_sek,
    lines.invoiced_sek
from charges
full outer join lines
    on lines.period_month = charges.period_month
    and lines.consumer_org_code = charges.consumer_org_code
    and lines.service_id = charges.service_id
where coalesce(charges.charged_sek, 0) <> coalesce(lines.invoiced_sek, 0)
