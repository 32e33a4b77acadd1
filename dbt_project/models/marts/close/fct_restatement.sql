{#- Restatements: for each month that is closed, what it would be now (the outcome rows of
    fct_allocation of that month) minus what was closed minus the restatements of it already
    booked in later closed months, per consumer cost centre x service x cost type. A difference
    is booked in the first open month after the closed month, with its cause: the inputs that
    differ from those recorded at the close (int_close_inputs_compared: the month's own files
    first, then the registers), or, when no input of the month or register changed, the
    allocation rules themselves (another month's file or fordela's code). -#}

with

periods as (

    select * from {{ ref('int_period_closes_resolved') }}

),

closed_months as (

    select period_month, close_id from periods where is_closed

),

allocations as (

    select * from {{ ref('fct_allocation') }}
    where scenario = 'outcome'
        and period_month in (select period_month from closed_months)

),

closed_charges as (

    select * from {{ ref('int_closed_charges_current') }}

),

input_changes as (

    select * from {{ ref('int_close_inputs_compared') }}

),

services as (

    select * from {{ ref('dim_service') }}

),

parts as (

    select
        period_month as restated_month,
        service_id,
        cost_type,
        consumer_cost_centre_code,
        consumer_org_code,
        amount_sek as recomputed_sek,
        0 as closed_sek,
        0 as previously_restated_sek,
        1 as source_rank
    from allocations
    union all
    select
        period_month as restated_month,
        service_id,
        cost_type,
        consumer_cost_centre_code,
        consumer_org_code,
        0 as recomputed_sek,
        amount_sek as closed_sek,
        0 as previously_restated_sek,
        2 as source_rank
    from closed_charges
    where line_kind = 'charge'
    union all
    select
        restated_month,
        service_id,
        cost_type,
        consumer_cost_centre_code,
        consumer_org_code,
        0 as recomputed_sek,
        0 as closed_sek,
        amount_sek as previously_restated_sek,
        3 as source_rank
    from closed_charges
    where line_kind = 'restatement'

),

summed as (

    select
        restated_month,
        service_id,
        cost_type,
        consumer_cost_centre_code,
        -- the organisation the cost centre belongs to now, else as it was closed
        arg_min(consumer_org_code, source_rank) as consumer_org_code,
        sum(recomputed_sek) as recomputed_sek,
        sum(closed_sek) as closed_sek,
        sum(previously_restated_sek) as previously_restated_sek
    from parts
    group by restated_month, service_id, cost_type, consumer_cost_centre_code

),

differences as (

    select
        *,
        recomputed_sek - closed_sek - previously_restated_sek as amount_sek
    from summed
    where recomputed_sek - closed_sek - previously_restated_sek <> 0

),

-- The first open month after a closed month is the month after it or after another closed month.
candidates as (

    select cast(period_month + interval 1 month as date) as candidate_month from closed_months

),

booking as (

    select
        closed_months.period_month as restated_month,
        closed_months.close_id as restated_close_id,
        min(candidates.candidate_month) as booked_month
    from closed_months
    inner join candidates
        on candidates.candidate_month > closed_months.period_month
    where candidates.candidate_month not in (select period_month from closed_months)
    group by closed_months.period_month, closed_months.close_id

),

causes as (

    select
        period_month as restated_month,
        case
            when bool_or(input_kind = 'file') and bool_or(input_kind = 'register')
                then 'file_and_register'
            when bool_or(input_kind = 'file') then 'file'
            else 'register'
        end as cause_kind,
        string_agg(description_sv, '; ' order by input_kind, description_sv) as cause_sv,
        string_agg(description_en, '; ' order by input_kind, description_en) as cause_en
    from input_changes
    group by period_month

),

final as (

    select
        -- ids
        booking.booked_month as period_month,
        cast(year(booking.booked_month) as integer) as fiscal_year,
        differences.restated_month,
        booking.restated_close_id,
        differences.service_id,
        services.service_area_code,
        differences.cost_type,
        differences.consumer_org_code,
        differences.consumer_cost_centre_code,

        -- measures
        cast(differences.recomputed_sek as decimal(18, 2)) as recomputed_sek,
        cast(differences.closed_sek as decimal(18, 2)) as closed_sek,
        cast(differences.previously_restated_sek as decimal(18, 2)) as previously_restated_sek,
        cast(differences.amount_sek as decimal(18, 2)) as amount_sek,

        -- attributes
        coalesce(causes.cause_kind, 'rule') as cause_kind,
        coalesce(
            causes.cause_sv,
            'inga indata för månaden eller register har ändrats sedan bokslutet: '
            || 'fördelningsreglerna (en annan månads filer eller fordelas kod) har ändrats'
        ) as cause_sv,
        coalesce(
            causes.cause_en,
            'no input of the month and no register changed since the close: the allocation '
            || 'rules (another month''s files or fordela''s code) changed'
        ) as cause_en

    from differences
    inner join booking
        on booking.restated_month = differences.restated_month
    left join causes
        on causes.restated_month = differences.restated_month
    left join services
        on services.service_id = differences.service_id
        and {{ is_valid_version('services', on='differences.restated_month') }}

)

select * from final
