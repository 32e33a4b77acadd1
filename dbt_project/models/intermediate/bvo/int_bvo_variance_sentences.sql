{#- One Swedish and one English sentence per line of the budget-versus-outcome report, for the
    month and for the year to date, by the one sentence generator (macros/sentences.sql).
    Grain: as int_bvo_variance_ytd. -#}

with

lines as (

    select
        *,
        coalesce(service_name_sv, service_id) as label
    from {{ ref('int_bvo_variance_ytd') }}

)

{{ variance_sentences(
    'lines',
    ['fiscal_year', 'period_month', 'plan_scenario', 'service_id', 'cost_type', 'consumer_org_code']
) }}
