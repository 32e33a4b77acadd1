{#- The month cycle at a glance: one row per month with outcome or a close action, its status
    (closed / open), who closed it and when, reopens, the latest export, what it charges, the
    restatements booked in it and the restatements of it booked later. -#}

with

charges as (

    select * from {{ ref('fct_charge') }}

),

periods as (

    select * from {{ ref('int_period_closes_resolved') }}

),

restatements as (

    select * from {{ ref('fct_restatement') }}

),

months as (

    select period_month from charges
    union
    select period_month from periods

),

booked as (

    select
        period_month,
        sum(amount_sek) filter (where line_kind = 'charge') as charged_sek,
        sum(amount_sek) filter (where line_kind = 'restatement') as restatements_booked_sek,
        count(*) filter (where line_kind = 'restatement') as restatement_rows
    from charges
    group by period_month

),

-- Restatements of a month booked later: frozen in later closes or pending in an open month.
restated_later as (

    select restated_month, sum(amount_sek) as restated_later_sek
    from charges
    where line_kind = 'restatement'
    group by restated_month

),

pending as (

    select distinct restated_month from restatements

),

final as (

    select
        -- ids
        months.period_month,
        cast(year(months.period_month) as integer) as fiscal_year,
        periods.close_id,

        -- attributes
        case when coalesce(periods.is_closed, false) then 'closed' else 'open' end as status,
        periods.closed_by,
        periods.closed_at,
        periods.last_action,
        periods.last_action_by,
        periods.last_action_at,
        coalesce(periods.reopen_count, 0) as reopen_count,
        periods.last_reopen_reason,
        periods.last_exported_at,
        periods.last_exported_by,
        periods.last_export_files,

        -- measures
        cast(coalesce(booked.charged_sek, 0) as decimal(18, 2)) as charged_sek,
        cast(coalesce(booked.restatements_booked_sek, 0) as decimal(18, 2))
            as restatements_booked_sek,
        coalesce(booked.restatement_rows, 0) as restatement_rows,
        cast(coalesce(restated_later.restated_later_sek, 0) as decimal(18, 2))
            as restated_later_sek,

        -- flags
        coalesce(periods.is_closed, false) as is_closed,
        pending.restated_month is not null as has_pending_restatement

    from months
    left join periods
        on periods.period_month = months.period_month
    left join booked
        on booked.period_month = months.period_month
    left join restated_later
        on restated_later.restated_month = months.period_month
    left join pending
        on pending.restated_month = months.period_month

)

select * from final
