-- The engine's floor, a deliberate second implementation: `marts.fct_allocation` of every
-- scenario (budget, forecasts, proposal and the outcome) computed straight from the landed CSV
-- files by this hand-written DuckDB script, the same rules as the dbt models. One step is not
-- SQL but shared with the engine: the reciprocal support services' flows, which
-- bench.baselines.sql_floor computes between the script's two parts (at the line
-- `-- @engine_reciprocal_flows`) with pipelines.lib.allocation.reciprocal.allocate_reciprocal
-- and registers as `engine_reciprocal_flows`. Why: what each ordinary service gets from the
-- group is its exact rational amount rounded by largest remainder, and those exact amounts have
-- denominators up to (10^12)^n for n services, beyond DuckDB's 128-bit integers; the per-giver
-- flows are then a min-cost flow rounding whose ties only that algorithm fixes. Its time counts
-- in the floor's time. Everything else here is SQL written apart from the engine.
-- `{landing}` is replaced by the landing folder; the ledger must be delivered as CSV (`fordela
-- demo-data --ledger-formats csv`), and the folder is read as delivered (no corrections
-- superseding earlier files).
--
-- Money is integer öre throughout (BIGINT / HUGEINT; products of a pool and a weight in
-- HUGEINT), never a float; every split is the engine's largest remainder (exact floor, then one
-- öre more to the largest remainders, ties to the lower code), so the result matches the
-- pipeline to the öre.
--
-- Plan scenarios: monthly pools q = floor(P/12) (+1 in the first P - 12q months); weights =
--   fixed key on the organisation's default cost centre, or planned volume within the key-set
--   population; each distinct monthly pool value is split once and copied to its months.
-- Outcome: ledger rows -> services by the year's mapping rules (lowest priority, then rule_id;
--   balance accounts out, unmapped rows to UNALLOCATED, not allocated); monthly pools per
--   service and cost type; the rule is the outcome's service_methods row, else the budget's.
--   Support services: step-down in step_order (a recursive CTE, one step per iteration), then
--   the reciprocal group: what each member has available (its own cost and what step-down gave
--   it) here, its flows from the engine (above). A service's own cost is split over its weights
--   of the month (fixed key on default cost centres; actual volumes in the population); what
--   each support service gave it is split per organisation (the sum of its cost centres'
--   weights) onto the organisation's default cost centre; price-list services are charged
--   round(unit price x actual volume) in the months they have a pool (the difference is the
--   settlement, not charged); direct services are charged their ledger rows on the rows' own
--   cost centres.
-- Result: öre per fiscal year x month x scenario x service x consumer organisation.

create or replace temp macro fmod(a, b) as ((a % b) + b) % b;      -- a mod b in [0, b), b > 0
create or replace temp macro fdiv(a, b) as (a - fmod(a, b)) // b;  -- floor(a / b), b > 0
-- floor(a / b) for the splits, b > 0: a double quotient is the first guess, checked exactly with
-- 128-bit products (the division of two HUGEINTs is the slowest operation of the script); the
-- exact division remains as the fallback for a guess off by more than one
create or replace temp macro fdiv_near(a, b, e) as
    case when a >= e * b and a < (e + 1) * b then e
         when a >= (e - 1) * b and a < e * b then e - 1
         when a >= (e + 1) * b and a < (e + 2) * b then e + 1
         else fdiv(a, b) end;
create or replace temp macro fdiv_fast(a, b) as fdiv_near(a, b, floor(a::double / b::double)::hugeint);
create or replace temp macro overlaps_year(valid_from, valid_to, y) as
    valid_from <= make_date(y, 12, 31) and coalesce(valid_to, date '9999-12-31') >= make_date(y, 1, 1);

-- Inputs -----------------------------------------------------------------------------------

create or replace temp table centres as
select cost_centre_code, org_code, is_default::boolean as is_default, valid_from::date as valid_from,
       valid_to::date as valid_to
from read_csv('{landing}/organisations/cost_centres.csv', all_varchar = true, header = true);

create or replace temp table keys as
select key_set, service_id, org_code, (share::decimal(18, 12) * 1000000000000)::hugeint as w,
       valid_from::date as valid_from, valid_to::date as valid_to
from read_csv('{landing}/plan/allocation_keys.csv', all_varchar = true, header = true)
where share::decimal(18, 12) > 0;

-- the rule of a year x scenario x service; the outcome falls back to the budget's row
create or replace temp table rules as
with methods as (
    select fiscal_year::int as fiscal_year, scenario, service_id, rule_id, allocation_method,
           driver_code, key_set
    from read_csv('{landing}/plan/service_methods.csv', all_varchar = true, header = true)
)
select * from methods where scenario <> 'outcome'
union all
select * replace ('outcome' as scenario) from (
    select * from methods where scenario in ('outcome', 'budget')
    qualify row_number() over (
        partition by fiscal_year, service_id order by scenario = 'outcome' desc) = 1
);

create or replace temp table support as
select fiscal_year::int as fiscal_year, support_service_id, receiving_service_id, method,
       step_order::int as step_order, (share::decimal(18, 12) * 1000000000000)::hugeint as w
from read_csv('{landing}/plan/support_allocations.csv', all_varchar = true, header = true)
where scenario = 'outcome';

create or replace temp table volumes as
select year(period_month)::int as fiscal_year, period_month, driver_code, cost_centre_code, w,
       quantity
from (
    select (period || '-01')::date as period_month, driver_code, cost_centre_code,
           quantity::decimal(18, 3) as quantity,
           (quantity::decimal(18, 3) * 1000)::hugeint as w
    from read_csv('{landing}/volumes/volumes_*.csv', all_varchar = true, header = true)
)
where w > 0;

-- ledger rows on cost and revenue accounts, each mapped to its service
create or replace temp table mapped as
with ledger as (
    select row_number() over () as ledger_row, (period || '-01')::date as period_month,
           account, cost_centre_code, activity_code, project_code,
           (amount_sek::decimal(18, 2) * 100)::hugeint as amount_ore
    from read_csv('{landing}/ledger/ledger_*.csv', all_varchar = true, header = true)
),
accounts as (
    select fiscal_year::int as fiscal_year, account, account_class
    from read_csv('{landing}/ledger/accounts.csv', all_varchar = true, header = true)
),
cost_rows as (
    select l.*, year(l.period_month)::int as fiscal_year, l.account::int as account_number
    from ledger l
    left join accounts a on a.fiscal_year = year(l.period_month) and a.account = l.account
    where coalesce(a.account_class, case when left(l.account, 1) in ('1', '2') then 'balance'
                                         when left(l.account, 1) = '3' then 'revenue'
                                         else 'cost' end) <> 'balance'
),
mapping as (
    select rule_id, fiscal_year::int as fiscal_year, priority::int as priority,
           account_from::int as account_from, account_to::int as account_to, activity_code,
           cost_centre_code, project_code, service_id, cost_type
    from read_csv('{landing}/ledger/mapping_rules.csv', all_varchar = true, header = true)
)
select c.fiscal_year, c.period_month, c.cost_centre_code, c.amount_ore,
       coalesce(m.service_id, 'UNALLOCATED') as service_id,
       coalesce(m.cost_type, case when c.project_code is not null then 'development'
                                  else 'maintenance' end) as cost_type,
       m.rule_id is null as is_unallocated
from cost_rows c
left join mapping m
    on m.fiscal_year = c.fiscal_year
    and c.account_number between m.account_from and m.account_to
    and (m.activity_code is null or m.activity_code = c.activity_code)
    and (m.cost_centre_code is null or m.cost_centre_code = c.cost_centre_code)
    and (m.project_code is null or m.project_code = c.project_code)
qualify row_number() over (partition by c.ledger_row order by m.priority, m.rule_id) = 1;

create or replace temp table pools as
select fiscal_year, period_month, service_id, cost_type, is_unallocated, sum(amount_ore) as pool_ore
from mapped
group by all;

-- Support services: step-down ------------------------------------------------------------

create or replace temp table step_down_flows as
with recursive
shares as (
    select fiscal_year, support_service_id as giver, receiving_service_id as receiver, w,
           dense_rank() over (partition by fiscal_year order by step_order) as step
    from support
    where method = 'step_down' and w > 0
),
last_step as (select fiscal_year, max(step) as last_step from shares group by all),
own as (
    select fiscal_year, period_month, service_id, sum(pool_ore) as direct_ore
    from pools where not is_unallocated group by all
),
months as (select distinct fiscal_year, period_month from pools where not is_unallocated),
-- iteration k holds every flow of steps 1..k (flow_step = the step that made it) and a marker
stepped(step, flow_step, fiscal_year, period_month, giver, receiver, amount_ore) as (
    select 0, 0, fiscal_year, null::date, null::varchar, null::varchar, 0::hugeint
    from last_step
    union all
    select * from (
        select s.step + 1, s.flow_step, s.fiscal_year, s.period_month, s.giver, s.receiver,
               s.amount_ore
        from stepped s join last_step l using (fiscal_year)
        where s.step < l.last_step
        union all
        select step, step, fiscal_year, period_month, giver, receiver,
               base + case when rank <= pool_ore - sum(base) over p then 1 else 0 end
        from (
            select *, row_number() over (partition by period_month, giver
                                         order by pool_ore * w - base * total desc, receiver) as rank
            from (
                select *, fdiv_fast(pool_ore * w, total) as base
                from (
                    select g.step, g.fiscal_year, m.period_month, g.giver, sh.receiver, sh.w,
                           coalesce(o.direct_ore, 0) + coalesce(r.received_ore, 0) as pool_ore,
                           sum(sh.w) over (partition by m.period_month, g.giver) as total
                    from (select distinct s.step + 1 as step, s.fiscal_year, sh.giver
                          from stepped s
                          join shares sh on sh.fiscal_year = s.fiscal_year and sh.step = s.step + 1
                         ) g
                    join months m on m.fiscal_year = g.fiscal_year
                    left join own o on o.period_month = m.period_month and o.service_id = g.giver
                    left join (select period_month, receiver, sum(amount_ore) as received_ore
                               from stepped where receiver is not null group by all) r
                        on r.period_month = m.period_month and r.receiver = g.giver
                    join shares sh on sh.fiscal_year = g.fiscal_year and sh.giver = g.giver
                    where coalesce(o.direct_ore, 0) + coalesce(r.received_ore, 0) <> 0
                )
            )
        )
        window p as (partition by period_month, giver)
    )
)
select fiscal_year, period_month, giver as support_service_id, receiver as receiving_service_id,
       'step_down' as method, amount_ore
from stepped
where receiver is not null and step = flow_step;

-- Support services: the reciprocal group, booked by the engine -----------------------------

-- what each reciprocal service has of its own in a month (its ledger cost and what step-down
-- gave it), for the engine's allocate_reciprocal (see the header)
create or replace temp table reciprocal_available as
with members as (
    select distinct fiscal_year, support_service_id as service_id from support
    where method = 'reciprocal'
),
own as (
    select period_month, service_id, sum(pool_ore) as direct_ore
    from pools where not is_unallocated group by all
),
stepped as (
    select period_month, receiving_service_id as service_id, sum(amount_ore) as received_ore
    from step_down_flows group by all
)
select m.fiscal_year, months.period_month, m.service_id,
       coalesce(o.direct_ore, 0) + coalesce(s.received_ore, 0) as available_ore
from members m
join (select distinct fiscal_year, period_month from pools) months using (fiscal_year)
left join own o on o.period_month = months.period_month and o.service_id = m.service_id
left join stepped s on s.period_month = months.period_month and s.service_id = m.service_id;

-- @engine_reciprocal_flows
-- (bench.baselines.sql_floor runs the script up to here, registers the engine's flows as
-- engine_reciprocal_flows, then runs the rest)

create or replace temp table reciprocal_flows as
select fiscal_year, period_month, support_service_id, receiving_service_id,
       'reciprocal' as method, amount_ore::hugeint as amount_ore
from engine_reciprocal_flows;

-- Weights ------------------------------------------------------------------------------------

create or replace temp table plan_weights as
select r.fiscal_year, r.scenario, r.service_id, c.cost_centre_code, k.org_code, k.w
from rules r
join keys k on k.key_set = r.key_set and k.service_id = r.service_id
    and overlaps_year(k.valid_from, k.valid_to, r.fiscal_year)
left join centres c on c.org_code = k.org_code and c.is_default
    and overlaps_year(c.valid_from, c.valid_to, r.fiscal_year)
where r.scenario <> 'outcome' and r.allocation_method = 'fixed_key'
union all
select r.fiscal_year, r.scenario, r.service_id, v.cost_centre_code, c.org_code, v.w
from rules r
join (select fiscal_year::int as fiscal_year, scenario, driver_code, cost_centre_code,
             (quantity::decimal(18, 3) * 1000)::hugeint as w
      from read_csv('{landing}/plan/planned_volumes.csv', all_varchar = true, header = true)) v
    on v.fiscal_year = r.fiscal_year and v.scenario = r.scenario and v.driver_code = r.driver_code
left join centres c on c.cost_centre_code = v.cost_centre_code
where r.scenario <> 'outcome' and r.allocation_method in ('driver_share', 'price_list') and v.w > 0
  and (r.key_set is null or exists (
        select 1 from keys k
        where k.key_set = r.key_set and k.service_id = r.service_id and k.org_code = c.org_code
          and overlaps_year(k.valid_from, k.valid_to, r.fiscal_year)));

-- outcome: fixed keys in every month with pools, actual volumes of the month otherwise
create or replace temp table outcome_weights as
select r.fiscal_year, m.period_month, r.service_id, r.allocation_method, r.driver_code,
       c.cost_centre_code, k.org_code, k.w, null::decimal(18, 3) as quantity
from rules r
join keys k on k.key_set = r.key_set and k.service_id = r.service_id
    and overlaps_year(k.valid_from, k.valid_to, r.fiscal_year)
join (select distinct fiscal_year, period_month from pools where not is_unallocated) m
    on m.fiscal_year = r.fiscal_year
left join centres c on c.org_code = k.org_code and c.is_default
    and overlaps_year(c.valid_from, c.valid_to, r.fiscal_year)
where r.scenario = 'outcome' and r.allocation_method = 'fixed_key'
union all
select r.fiscal_year, v.period_month, r.service_id, r.allocation_method, r.driver_code,
       v.cost_centre_code, c.org_code, v.w, v.quantity
from rules r
join volumes v on v.fiscal_year = r.fiscal_year and v.driver_code = r.driver_code
left join centres c on c.cost_centre_code = v.cost_centre_code
where r.scenario = 'outcome' and r.allocation_method in ('driver_share', 'price_list')
  and (r.key_set is null or exists (
        select 1 from keys k
        where k.key_set = r.key_set and k.service_id = r.service_id and k.org_code = c.org_code
          and overlaps_year(k.valid_from, k.valid_to, r.fiscal_year)));

-- Outcome pools after the support services --------------------------------------------------

create or replace temp table support_flows as
select * from step_down_flows union all select * from reciprocal_flows;

create or replace temp table charged_pools as
with is_support as (select distinct fiscal_year, support_service_id as service_id from support),
received as (
    select period_month, receiving_service_id as service_id, sum(amount_ore) as received_ore
    from support_flows group by all
),
passed_on as (
    select period_month, support_service_id as service_id from support_flows group by all
),
catalogue as (
    select service_id, cost_type, valid_from::date as valid_from, valid_to::date as valid_to
    from read_csv('{landing}/services/services.csv', all_varchar = true, header = true)
),
-- the services' own cost and what they received (on the catalogue's cost type), per month
pool_rows as (
    select fiscal_year, period_month, service_id, cost_type, pool_ore as direct_ore, is_unallocated
    from pools
    union all
    select year(f.period_month)::int, f.period_month, f.service_id,
           coalesce(c.cost_type, 'maintenance'), null, false
    from (select period_month, service_id from received
          union
          select period_month, service_id from passed_on) f
    left join catalogue c on c.service_id = f.service_id
        and f.period_month between c.valid_from and coalesce(c.valid_to, date '9999-12-31')
)
select fiscal_year, period_month, service_id, cost_type, sum(direct_ore) as direct_ore,
       bool_or(is_unallocated) as is_unallocated
from pool_rows p
where not exists (select 1 from is_support s
                  where s.fiscal_year = p.fiscal_year and s.service_id = p.service_id)
group by all;

-- Splits: every pool over its weights, largest remainder, in one pass ---------------------------

create or replace temp table plan_pools as
select fiscal_year, scenario, service_id, cost_type, make_date(fiscal_year, month, 1) as period_month,
       fdiv(annual_ore, 12) + case when month <= annual_ore - 12 * fdiv(annual_ore, 12) then 1 else 0 end
           as pool_ore
from (select fiscal_year::int as fiscal_year, scenario, service_id, cost_type,
             (amount_sek::decimal(18, 2) * 100)::hugeint as annual_ore
      from read_csv('{landing}/plan/plan_amounts.csv', all_varchar = true, header = true)),
     range(1, 13) m(month);

-- one row per pool to split (pool_id): a plan line's distinct monthly value (copied to its
-- months at the end), a service's own outcome cost of a month and cost type, or what one
-- support service gave it in a month
create or replace temp table split_pools as
select row_number() over ()::int as pool_id, *
from (
    select distinct fiscal_year, null::date as period_month, scenario, service_id, cost_type,
           null::varchar as support_service_id, pool_ore
    from plan_pools
    union all
    select fiscal_year, period_month, 'outcome', service_id, cost_type, null, direct_ore
    from charged_pools
    where not is_unallocated and direct_ore is not null and direct_ore <> 0
    union all
    -- the service must have received something in the month at all (the pipeline's pool row)
    select f.fiscal_year, f.period_month, 'outcome', f.receiving_service_id, null,
           f.support_service_id || ' ' || f.method, sum(f.amount_ore)
    from support_flows f
    where exists (select 1 from charged_pools c
                  where c.period_month = f.period_month and c.service_id = f.receiving_service_id
                    and not c.is_unallocated)
      and (f.period_month, f.receiving_service_id) in (
            select (period_month, receiving_service_id) from support_flows
            group by all having sum(amount_ore) <> 0)
    group by all
    having sum(f.amount_ore) <> 0
);

-- the pools joined to their weights: planned (plan), the month's (own cost), or per organisation
-- on its default cost centre (support cost); weights and pools fit in BIGINT, their products not
create or replace temp table split_input as
with own_weights as (
    select * from outcome_weights where allocation_method in ('fixed_key', 'driver_share')
),
organisation_weights as (
    select w.period_month, w.service_id, w.org_code, c.cost_centre_code, w.w
    from (select fiscal_year, period_month, service_id, org_code, sum(w) as w
          from own_weights group by all) w
    left join centres c on c.org_code = w.org_code and c.is_default
        and overlaps_year(c.valid_from, c.valid_to, w.fiscal_year)
)
select p.pool_id, p.pool_ore::bigint as pool_ore, w.w::bigint as w, w.cost_centre_code as tie,
       w.org_code
from split_pools p
join plan_weights w using (fiscal_year, scenario, service_id)
where p.scenario <> 'outcome'
union all
select p.pool_id, p.pool_ore::bigint, w.w::bigint, w.cost_centre_code, w.org_code
from split_pools p
join own_weights w on w.period_month = p.period_month and w.service_id = p.service_id
where p.scenario = 'outcome' and p.support_service_id is null
union all
select p.pool_id, p.pool_ore::bigint, w.w::bigint, w.cost_centre_code, w.org_code
from split_pools p
join organisation_weights w on w.period_month = p.period_month and w.service_id = p.service_id
where p.support_service_id is not null;

-- largest remainder per pool, summed per organisation
create or replace temp table split as
with totals as (
    select pool_id, sum(w) as total from split_input group by all
),
floored as (
    select pool_id, pool_ore, tie, org_code, base, pool_ore::hugeint * w - base * total as rem
    from (select i.*, t.total, fdiv_fast(i.pool_ore::hugeint * i.w, t.total) as base
          from split_input i join totals t using (pool_id))
),
leftover as (
    select pool_id, any_value(pool_ore) - sum(base) as leftover from floored group by all
)
select pool_id, org_code,
       sum(base + case when rank <= leftover then 1 else 0 end) as amount_ore
from (
    select f.*, l.leftover,
           row_number() over (partition by f.pool_id order by f.rem desc, f.tie) as rank
    from floored f join leftover l using (pool_id)
)
group by all;

-- The allocation -------------------------------------------------------------------------------

with price_list_charges as (
    select w.fiscal_year, w.period_month, w.service_id, w.org_code,
           -- unit price (10^-4 SEK) x volume (10^-3) = 10^-7 SEK, to the öre half away from zero
           sign(p.price_units * w.w) * ((2 * abs(p.price_units * w.w) + 100000) // 200000)
               as amount_ore
    from outcome_weights w
    left join (select fiscal_year::int as fiscal_year, service_id, driver_code,
                      (unit_price_sek::decimal(18, 4) * 10000)::bigint as price_units
               from read_csv('{landing}/plan/price_list.csv', all_varchar = true, header = true)) p
        on p.fiscal_year = w.fiscal_year and p.service_id = w.service_id
        and p.driver_code = w.driver_code
    -- charged in the months the service has a pool (once per pool row, as the pipeline joins)
    join charged_pools c on c.service_id = w.service_id and c.period_month = w.period_month
        and not c.is_unallocated
    where w.allocation_method = 'price_list'
),
direct_charges as (
    select m.fiscal_year, m.period_month, m.service_id, c.org_code, m.amount_ore
    from mapped m
    join rules r on r.scenario = 'outcome' and r.allocation_method = 'direct'
        and r.fiscal_year = m.fiscal_year and r.service_id = m.service_id
    left join centres c on c.cost_centre_code = m.cost_centre_code
    where not m.is_unallocated
),
allocated as (
    -- a plan pool value goes to every month that has it
    select p.fiscal_year, pp.period_month, p.scenario, p.service_id, s.org_code, s.amount_ore
    from split s
    join split_pools p using (pool_id)
    join plan_pools pp using (fiscal_year, scenario, service_id, cost_type, pool_ore)
    where p.scenario <> 'outcome'
    union all
    select p.fiscal_year, p.period_month, p.scenario, p.service_id, s.org_code, s.amount_ore
    from split s
    join split_pools p using (pool_id)
    where p.scenario = 'outcome'
    union all
    select fiscal_year, period_month, 'outcome', service_id, org_code, amount_ore from price_list_charges
    union all
    select fiscal_year, period_month, 'outcome', service_id, org_code, amount_ore from direct_charges
)
select fiscal_year, period_month, scenario, service_id, org_code as consumer_org_code,
       sum(amount_ore)::bigint as amount_ore
from allocated
group by all
order by all;
