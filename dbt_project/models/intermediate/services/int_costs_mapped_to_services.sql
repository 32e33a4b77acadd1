{#- Ledger rows -> service through the versioned mapping rules of the row's fiscal year.
    One row per ledger row that is not on a balance-sheet account (cost and revenue rows).

    A rule matches when the account (as a number) lies in [account_from, account_to] and its
    activity_code, cost_centre_code and project_code are empty or equal to the row's. Of the
    matching rules the lowest priority wins, then the lowest rule_id.
    Rows no rule maps go to the explicit unallocated pool (service_id 'UNALLOCATED',
    is_unallocated = true); they are never dropped. Their cost_type is 'development' when the
    row carries a project (initiative) code, otherwise 'maintenance'.
    An account missing from the chart of accounts is classified by its first digit as in
    Kommun-Bas (1-2 balance, 3 revenue, 4-9 cost); the test on this model reports such rows.
    Development spend is tied to its initiative: initiative_id is the row's project code when
    it names a known initiative (plan/initiatives.csv); a project code that names none is kept
    in project_code and reported by a warning test. -#}

with

ledger as (

    select * from {{ ref('stg_raw__ledger') }}

),

accounts as (

    select * from {{ ref('stg_raw__accounts') }}

),

mapping_rules as (

    select * from {{ ref('stg_raw__mapping_rules') }}

),

initiatives as (

    select * from {{ ref('stg_raw__initiatives') }}

),

classified as (

    select
        ledger.*,
        cast(year(ledger.period_month) as integer) as fiscal_year,
        cast(ledger.account as integer) as account_number,
        accounts.account_class is not null as is_account_known,
        coalesce(
            accounts.account_class,
            case
                when left(ledger.account, 1) in ('1', '2') then 'balance'
                when left(ledger.account, 1) = '3' then 'revenue'
                else 'cost'
            end
        ) as account_class
    from ledger
    left join accounts
        on accounts.fiscal_year = year(ledger.period_month)
        and accounts.account = ledger.account

),

cost_rows as (

    select * from classified
    where account_class <> 'balance'

),

rules as (

    select
        *,
        cast(account_from as integer) as account_from_number,
        cast(account_to as integer) as account_to_number
    from mapping_rules

),

matched as (

    select
        cost_rows._source_file,
        cost_rows._source_row,
        rules.rule_id,
        rules.service_id,
        rules.cost_type
    from cost_rows
    inner join rules
        on rules.fiscal_year = cost_rows.fiscal_year
        and cost_rows.account_number between rules.account_from_number and rules.account_to_number
        and (rules.activity_code is null or rules.activity_code = cost_rows.activity_code)
        and (rules.cost_centre_code is null or rules.cost_centre_code = cost_rows.cost_centre_code)
        and (rules.project_code is null or rules.project_code = cost_rows.project_code)
    qualify row_number() over (
        partition by cost_rows._source_file, cost_rows._source_row
        order by rules.priority asc, rules.rule_id asc
    ) = 1

),

final as (

    select
        -- ids
        cost_rows.voucher_series,
        cost_rows.voucher_number,
        cost_rows.account,
        cost_rows.cost_centre_code,
        cost_rows.activity_code,
        cost_rows.project_code,
        cost_rows.counterparty,
        coalesce(matched.service_id, 'UNALLOCATED') as service_id,
        matched.rule_id as mapping_rule_id,
        initiatives.initiative_id,

        -- dates
        cost_rows.fiscal_year,
        cost_rows.period_month,
        cost_rows.voucher_date,

        -- attributes
        cost_rows.account_class,
        coalesce(
            matched.cost_type,
            case when cost_rows.project_code is not null then 'development' else 'maintenance' end
        ) as cost_type,
        cost_rows.text,

        -- measures
        cost_rows.amount_sek,

        -- flags
        matched.rule_id is null as is_unallocated,
        cost_rows.is_account_known,

        -- metadata
        cost_rows._source_file,
        cost_rows._source_row,
        cost_rows._file_hash,
        cost_rows._loaded_at

    from cost_rows
    left join matched
        on matched._source_file = cost_rows._source_file
        and matched._source_row = cost_rows._source_row
    left join initiatives
        on initiatives.initiative_id = cost_rows.project_code

)

select * from final
