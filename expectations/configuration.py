"""Configuration checks: combinations of plan and register rows that the engine could not allocate.

The other modules here judge one row at a time (and quarantine it). Some things are wrong only
in combination: a key set that does not sum to 1, a plan line without a rule, a step-down pool
that gives back to an earlier step. Such a delivery is refused as a whole, when it lands and
before dbt runs, by the blocking Dagster check `configuration_allocatable`
(`pipelines.lib.configuration` runs these checks); the dbt singular tests that guard the same
invariants stay as a second line, never the first place a user learns of a problem.

Each check is one SQL query over the accepted rows (`raw.*`, text as landed) that returns one
row per finding: the table and file to correct, the rows, the column, the value, what is wrong
(`problem`) and what to do (`fix`). In the SQL, `@name` stands for a typed relation (see
`RELATIONS`): `@services`, `@rules`, `@keys`, ...; `@service_months` is the ledger's cost per
service and month through the mapping rules, computed once per run (`SERVICE_MONTHS_SQL`).
The list, with one line per check, is in docs/input-formats.md (Configuration checks at ingest).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Columns every check returns, in this order.
FINDING_COLUMNS = (
    "table_name",
    "source_file",
    "source_rows",
    "column_name",
    "value",
    "problem",
    "fix",
)

DBT_PROJECT_FILE = Path(__file__).resolve().parents[1] / "dbt_project" / "dbt_project.yml"


@lru_cache(maxsize=1)
def max_step_down_steps() -> int:
    """The most step-down steps a year may have: dbt's var `support_max_step_down_steps`, the
    number of steps `int_support_costs_stepped_down` unrolls (one value, in dbt_project.yml)."""
    import yaml  # type: ignore[import-untyped]  # PyYAML, installed with dbt; no stubs here

    project = yaml.safe_load(DBT_PROJECT_FILE.read_text(encoding="utf-8"))
    return int(project["vars"]["support_max_step_down_steps"])


@dataclass(frozen=True)
class ConfigurationCheck:
    """One check: its name (ops.check_results.check_name), what it refuses, its SQL."""

    name: str
    refuses: str
    sql: str


def _trim(expr: str) -> str:
    """A decimal as text without trailing zeros (0.998000000000 -> 0.998, 1.000 -> 1)."""
    return (
        f"regexp_replace(regexp_replace(cast({expr} as varchar), '(\\.[0-9]*?)0+$', '\\1'), "
        "'\\.$', '')"
    )


def _year_overlaps(prefix: str, year: str) -> str:
    """A row with validity (valid_from, valid_to) counts for a fiscal year it overlaps."""
    return (
        f"{prefix}.valid_from <= make_date({year}, 12, 31) "
        f"and {prefix}.valid_to >= make_date({year}, 1, 1)"
    )


def _is_support(service: str, year: str) -> str:
    return (
        f"exists (select 1 from @services s_ where s_.service_id = {service} and s_.is_support "
        f"and {_year_overlaps('s_', year)})"
    )


def _in_population(rule: str, org_code: str) -> str:
    """The organisation takes part in a driver rule: the rule names no population (key set),
    or the organisation has a share > 0 in it for the rule's service, valid in its year (as
    int_allocation_weights restricts the weights)."""
    return (
        f"({rule}.key_set is null or exists (select 1 from @keys k_ "
        f"where k_.key_set = {rule}.key_set and k_.service_id = {rule}.service_id "
        f"and k_.org_code = {org_code} and k_.share > 0 "
        f"and {_year_overlaps('k_', rule + '.fiscal_year')}))"
    )


_OPEN_END = "coalesce(try_cast(valid_to as date), date '9999-12-31') as valid_to"

# Typed views of the raw tables (all text as landed) that the checks read. `{raw}` is the raw
# relation, or an empty one with the same columns when the table has not been delivered.
RELATIONS: dict[str, tuple[str, str]] = {
    "services": (
        "services",
        f"""
        select service_id, coalesce(is_support = 'true', false) as is_support,
               try_cast(valid_from as date) as valid_from, {_OPEN_END}, _source_file, _source_row
        from {{raw}}""",
    ),
    "organisations": (
        "organisations",
        f"""
        select org_code, try_cast(valid_from as date) as valid_from, {_OPEN_END},
               _source_file, _source_row
        from {{raw}}""",
    ),
    "cost_centres": (
        "cost_centres",
        f"""
        select cost_centre_code, org_code, coalesce(is_default = 'true', false) as is_default,
               try_cast(valid_from as date) as valid_from, {_OPEN_END}, _source_file, _source_row
        from {{raw}}""",
    ),
    "rules": (
        "service_methods",
        """
        select try_cast(fiscal_year as integer) as fiscal_year, scenario, service_id, rule_id,
               allocation_method, driver_code, key_set, _source_file, _source_row
        from {raw}""",
    ),
    "plan": (
        "plan_amounts",
        """
        select try_cast(fiscal_year as integer) as fiscal_year, scenario, service_id,
               try_cast(amount_sek as decimal(18, 2)) as amount_sek, _source_file, _source_row
        from {raw}""",
    ),
    "keys": (
        "allocation_keys",
        f"""
        select key_set, service_id, org_code, try_cast(share as decimal(18, 12)) as share,
               try_cast(valid_from as date) as valid_from, {_OPEN_END}, _source_file, _source_row
        from {{raw}}""",
    ),
    "planned": (
        "planned_volumes",
        """
        select try_cast(fiscal_year as integer) as fiscal_year, scenario, driver_code,
               cost_centre_code, try_cast(quantity as decimal(18, 3)) as quantity,
               _source_file, _source_row
        from {raw}""",
    ),
    "prices": (
        "price_list",
        """
        select try_cast(fiscal_year as integer) as fiscal_year, service_id, driver_code,
               _source_file, _source_row
        from {raw}""",
    ),
    "support": (
        "support_allocations",
        """
        select try_cast(fiscal_year as integer) as fiscal_year, scenario, support_service_id,
               receiving_service_id, try_cast(share as decimal(18, 12)) as share,
               try_cast(step_order as integer) as step_order, method, _source_file, _source_row
        from {raw}
        where scenario = 'outcome'""",
    ),
    "lineage": (
        "service_lineage",
        """
        select from_service_id, to_service_id, try_cast(weight as decimal(18, 12)) as weight,
               effective_date, _source_file, _source_row
        from {raw}""",
    ),
    "volumes": (
        "volumes",
        """
        select period, cast(substr(period, 1, 4) as integer) as fiscal_year, driver_code,
               cost_centre_code, try_cast(quantity as decimal(18, 3)) as quantity
        from {raw}""",
    ),
}

# Derived relations, written in terms of the typed ones.
DERIVED: dict[str, str] = {
    # The rule the outcome uses: its own row, else the adopted budget's (as
    # int_allocation_rules_resolved).
    "outcome_rules": """
        select * from @rules where scenario = 'outcome'
        union all by name
        select b.* from @rules b
        where b.scenario = 'budget'
          and not exists (
              select 1 from @rules o
              where o.scenario = 'outcome' and o.fiscal_year = b.fiscal_year
                and o.service_id = b.service_id
          )""",
    "service_months": "select * from _cfg_service_months",
    # Fiscal years the delivery is about: the plan's and the ledger's.
    "years": """
        select distinct fiscal_year from @plan where fiscal_year is not null
        union
        select distinct fiscal_year from _cfg_service_months""",
}

# The ledger's cost per fiscal year x month x service x mapping rule, mapped as
# int_costs_mapped_to_services maps it (a deliberate second implementation over the raw text,
# because this runs before dbt; tests/config compares the two on the demo city): balance-sheet
# accounts left out (by the year's chart of accounts, else the first digit), the matching rule
# with the lowest priority, then rule_id. Distinct combinations are matched, not rows.
SERVICE_MONTHS_SQL = """
create or replace temp table _cfg_service_months as
with ledger as (
    select _source_file, _source_row, period,
           try_cast(substr(period, 1, 4) as integer) as fiscal_year, account, cost_centre_code,
           activity_code, project_code, try_cast(amount_sek as decimal(18, 2)) as amount_sek
    from {ledger}
),
accounts as (
    select try_cast(fiscal_year as integer) as fiscal_year, account, account_class from {accounts}
),
cost_rows as (
    select ledger.*
    from ledger
    left join accounts on accounts.fiscal_year = ledger.fiscal_year and accounts.account = ledger.account
    where coalesce(
        accounts.account_class,
        case when left(ledger.account, 1) in ('1', '2') then 'balance'
             when left(ledger.account, 1) = '3' then 'revenue' else 'cost' end
    ) <> 'balance'
),
combinations as (
    select fiscal_year, period, account, cost_centre_code, activity_code, project_code,
           sum(amount_sek) as amount_sek, bool_or(amount_sek > 0) as has_positive_row,
           count(*) as ledger_rows,
           min({{'file': _source_file, 'row': _source_row}}) as first_row
    from cost_rows
    group by all
),
rules as (
    select rule_id, try_cast(fiscal_year as integer) as fiscal_year,
           try_cast(priority as integer) as priority,
           try_cast(account_from as integer) as account_from,
           try_cast(account_to as integer) as account_to, activity_code, cost_centre_code,
           project_code, service_id, _source_file, _source_row
    from {mapping_rules}
),
matched as (
    select combinations.*, rules.service_id, rules.rule_id, rules._source_file as rule_file,
           rules._source_row as rule_row
    from combinations
    join rules
      on rules.fiscal_year = combinations.fiscal_year
     and try_cast(combinations.account as integer) between rules.account_from and rules.account_to
     and (rules.activity_code is null or rules.activity_code = combinations.activity_code)
     and (rules.cost_centre_code is null or rules.cost_centre_code = combinations.cost_centre_code)
     and (rules.project_code is null or rules.project_code = combinations.project_code)
    qualify row_number() over (
        partition by combinations.fiscal_year, combinations.period, combinations.account,
            combinations.cost_centre_code, combinations.activity_code, combinations.project_code
        order by rules.priority, rules.rule_id
    ) = 1
)
select fiscal_year, period, service_id, rule_id, rule_file, rule_row,
       sum(amount_sek) as amount_sek, bool_or(has_positive_row) as has_positive_row,
       sum(ledger_rows) as ledger_rows, min(first_row) as first_row
from matched
group by all
"""

_PLAN = "scenario <> 'outcome'"
_SUPPORT_METHODS = "('step_down', 'reciprocal')"

CHECKS: tuple[ConfigurationCheck, ...] = (
    ConfigurationCheck(
        "plan_line_without_rule",
        "a plan line (`plan_amounts`) with no `service_methods` row for its year, scenario and "
        "service",
        f"""
        select 'plan_amounts' as table_name, p._source_file as source_file,
               [p._source_row] as source_rows, 'service_id' as column_name, p.service_id as value,
               'the plan line ' || p.fiscal_year || ' ' || p.scenario || ' of service '''
                   || p.service_id || ''' (' || p.amount_sek || ' SEK) has no allocation rule'
                   || case when {_is_support("p.service_id", "p.fiscal_year")}
                       then ' (it is a support service, is_support: support services have no '
                            || 'plan line; their cost reaches the services through '
                            || 'plan/support_allocations.csv in the outcome)'
                       else '' end as problem,
               'add a row (' || p.fiscal_year || ', ' || p.scenario || ', ' || p.service_id
                   || ', ...) to plan/service_methods.csv, or remove the line' as fix
        from @plan p
        where p.amount_sek <> 0
          and not exists (
              select 1 from @rules r
              where r.fiscal_year = p.fiscal_year and r.scenario = p.scenario
                and r.service_id = p.service_id
          )
        """,
    ),
    ConfigurationCheck(
        "outcome_without_rule",
        "a service with ledger cost in a year (by the mapping rules) and neither an `outcome` "
        "nor a `budget` rule that year (support services excepted: `support_allocations` "
        "charges them on)",
        f"""
        with costs as (
            select fiscal_year, service_id, sum(amount_sek) as amount_sek,
                   sum(ledger_rows) as ledger_rows, min(first_row) as first_row,
                   arg_max({{'file': rule_file, 'row': rule_row, 'rule_id': rule_id}},
                           abs(amount_sek)) as mapping
            from @service_months
            group by fiscal_year, service_id
        )
        select 'mapping_rules' as table_name, c.mapping.file as source_file,
               [c.mapping.row] as source_rows, 'service_id' as column_name,
               c.service_id as value,
               'mapping rule ''' || c.mapping.rule_id || ''' maps ledger cost of '
                   || c.fiscal_year || ' to service ''' || c.service_id || ''' ('
                   || c.amount_sek || ' SEK in ' || c.ledger_rows || ' ledger rows, the first '
                   || c.first_row.file || ' row ' || c.first_row.row || '), which has neither '
                   || 'an outcome nor a budget rule for ' || c.fiscal_year
                   || ' in plan/service_methods.csv, so its cost could not be charged out'
                   as problem,
               'add a row (' || c.fiscal_year || ', outcome, ' || c.service_id
                   || ', ...) to plan/service_methods.csv, or map the cost to another service'
                   as fix
        from costs c
        where not {_is_support("c.service_id", "c.fiscal_year")}
          and not exists (
              select 1 from @outcome_rules r
              where r.fiscal_year = c.fiscal_year and r.service_id = c.service_id
          )
        """,
    ),
    ConfigurationCheck(
        "method_not_allowed_in_scenario",
        "`step_down` / `reciprocal` in a plan scenario, or for a service that is not "
        "`is_support`; a support service with another method, or with another method than "
        "its `support_allocations` rows",
        f"""
        with judged as (
            select r.*,
                   {_is_support("r.service_id", "r.fiscal_year")} as is_support,
                   (select min(s.method) from @support s
                    where s.fiscal_year = r.fiscal_year
                      and s.support_service_id = r.service_id) as support_method
            from @rules r
        )
        select 'service_methods' as table_name, _source_file as source_file,
               [_source_row] as source_rows, 'allocation_method' as column_name,
               allocation_method as value,
               case
                   when allocation_method in {_SUPPORT_METHODS} and {_PLAN}
                       then 'method ''' || allocation_method || ''' is not allowed in the plan '
                            || 'scenario ''' || scenario || ''': support pools have no plan line '
                            || '(their cost reaches the services through '
                            || 'plan/support_allocations.csv in the outcome)'
                   when allocation_method in {_SUPPORT_METHODS} and not is_support
                       then 'service ''' || service_id || ''' is not a support service '
                            || '(services.is_support is false), so it cannot be charged on by '
                            || allocation_method
                   when is_support and allocation_method not in {_SUPPORT_METHODS}
                       then 'service ''' || service_id || ''' is a support service (is_support): '
                            || 'its cost is charged on by plan/support_allocations.csv, so its '
                            || 'rule can only be step_down or reciprocal'
                   else 'the rule says ' || allocation_method || ' but '
                        || 'plan/support_allocations.csv charges ''' || service_id
                        || ''' on by ' || support_method || ' in ' || fiscal_year
               end as problem,
               case
                   when is_support
                       then 'remove the row (a support service needs no rule), or use the '
                            || 'method of its support_allocations rows in the outcome'
                   when allocation_method in {_SUPPORT_METHODS}
                       then 'use direct, fixed_key, driver_share or price_list, or mark the '
                            || 'service is_support = true in services/services.csv and give its '
                            || 'shares in plan/support_allocations.csv'
                   else 'use step_down or reciprocal, or remove the row'
               end as fix
        from judged
        where (allocation_method in {_SUPPORT_METHODS} and ({_PLAN} or not is_support))
           or (is_support and allocation_method not in {_SUPPORT_METHODS})
           or (is_support and scenario = 'outcome' and support_method is not null
               and allocation_method <> support_method)
        """,
    ),
    ConfigurationCheck(
        "rule_missing_driver",
        "`driver_share` / `price_list` without a driver",
        """
        select 'service_methods' as table_name, _source_file as source_file,
               [_source_row] as source_rows, 'driver_code' as column_name, null as value,
               'rule ''' || coalesce(rule_id, '') || ''' (' || fiscal_year || ' ' || scenario
                   || ', ' || service_id || ') uses ' || allocation_method
                   || ' but names no driver' as problem,
               'fill in driver_code (a driver of volumes/drivers.csv)' as fix
        from @rules
        where allocation_method in ('driver_share', 'price_list') and driver_code is null
        """,
    ),
    ConfigurationCheck(
        "rule_missing_key_set",
        "`fixed_key`, or `direct` in a plan scenario, without a key set",
        f"""
        select 'service_methods' as table_name, _source_file as source_file,
               [_source_row] as source_rows, 'key_set' as column_name, null as value,
               'rule ''' || coalesce(rule_id, '') || ''' (' || fiscal_year || ' ' || scenario
                   || ', ' || service_id || ') uses ' || allocation_method
                   || case when allocation_method = 'direct'
                       then ' in a plan scenario, where no ledger row names the consumers, '
                       else ' ' end
                   || 'but names no key set' as problem,
               'fill in key_set (a key set of plan/allocation_keys.csv with the '
                   || 'organisations'' shares for ' || service_id || ')' as fix
        from @rules
        where key_set is null
          and (allocation_method = 'fixed_key' or (allocation_method = 'direct' and {_PLAN}))
        """,
    ),
    ConfigurationCheck(
        "key_set_not_summing_to_one",
        "the shares of a key set and service used by `fixed_key` / `direct`, valid in the "
        "rule's year, do not sum to exactly 1; or the key set has no row for the service",
        f"""
        with used as (
            select fiscal_year, key_set, service_id,
                   min({{'file': _source_file, 'row': _source_row, 'rule_id': rule_id,
                         'scenario': scenario}}) as first_rule,
                   count(*) as rules
            from @rules
            where key_set is not null
              and (allocation_method = 'fixed_key' or allocation_method = 'direct')
            group by fiscal_year, key_set, service_id
        ),
        totals as (
            select u.fiscal_year, u.key_set, u.service_id, u.first_rule, k._source_file,
                   list(k._source_row order by k._source_row) as source_rows,
                   sum(k.share) as share_total
            from used u
            join @keys k
              on k.key_set = u.key_set and k.service_id = u.service_id
             and {_year_overlaps("k", "u.fiscal_year")}
            group by all
        ),
        per_set as (
            select fiscal_year, key_set, service_id, sum(share_total) as share_total
            from totals group by all
        )
        select 'allocation_keys' as table_name, t._source_file as source_file,
               t.source_rows, 'share' as column_name, {_trim("p.share_total")} as value,
               'the shares of key set ''' || t.key_set || ''' for service ''' || t.service_id
                   || ''' valid in ' || t.fiscal_year || ' sum to ' || {_trim("p.share_total")}
                   || ', not 1 (used by rule ''' || t.first_rule.rule_id || ''', '
                   || t.first_rule.file || ' row ' || t.first_rule.row || ')' as problem,
               'correct the shares so that they sum to exactly 1 (one version of the key per '
                   || 'fiscal year)' as fix
        from totals t
        join per_set p using (fiscal_year, key_set, service_id)
        where p.share_total <> 1
        union all
        select 'service_methods', u.first_rule.file, [u.first_rule.row], 'key_set', u.key_set,
               'key set ''' || u.key_set || ''' has no row for service ''' || u.service_id
                   || ''' valid in ' || u.fiscal_year,
               'add the organisations'' shares for ' || u.service_id || ' to '
                   || 'plan/allocation_keys.csv under key set ' || u.key_set
                   || ', or name another key set'
        from used u
        where not exists (
            select 1 from @keys k
            where k.key_set = u.key_set and k.service_id = u.service_id
              and {_year_overlaps("k", "u.fiscal_year")}
        )
        """,
    ),
    ConfigurationCheck(
        "no_planned_volume",
        "a `driver_share` / `price_list` rule of a plan scenario whose driver has no planned "
        "volume > 0 (within its population) in that year and scenario",
        f"""
        select 'service_methods' as table_name, r._source_file as source_file,
               [r._source_row] as source_rows, 'driver_code' as column_name,
               r.driver_code as value,
               'rule ''' || coalesce(r.rule_id, '') || ''' (' || r.fiscal_year || ' '
                   || r.scenario || ', ' || r.service_id || ') splits the plan line by planned '
                   || 'volumes of ''' || r.driver_code || ''', but plan/planned_volumes.csv has '
                   || 'none > 0 for ' || r.fiscal_year || ' ' || r.scenario
                   || case when r.key_set is not null
                       then ' on the cost centres of its population ''' || r.key_set || ''''
                       else '' end as problem,
               'deliver the planned volumes of ' || r.driver_code || ' for ' || r.fiscal_year
                   || ' ' || r.scenario || ' in plan/planned_volumes.csv, or change the rule'
                   as fix
        from @rules r
        where r.{_PLAN} and r.allocation_method in ('driver_share', 'price_list')
          and r.driver_code is not null
          and exists (
              select 1 from @plan p
              where p.fiscal_year = r.fiscal_year and p.scenario = r.scenario
                and p.service_id = r.service_id and p.amount_sek <> 0
          )
          and not exists (
              select 1 from @planned v
              left join @cost_centres c on c.cost_centre_code = v.cost_centre_code
              where v.fiscal_year = r.fiscal_year and v.scenario = r.scenario
                and v.driver_code = r.driver_code and v.quantity > 0
                and {_in_population("r", "c.org_code")}
          )
        """,
    ),
    ConfigurationCheck(
        "no_actual_volume",
        "a month in which a `driver_share` service of the outcome has ledger cost but its "
        "driver has no volume > 0 (within its population) that month",
        f"""
        with costs as (
            select m.fiscal_year, m.period, m.service_id, sum(m.amount_sek) as amount_sek,
                   min(m.first_row) as first_row, sum(m.ledger_rows) as ledger_rows
            from @service_months m
            group by all
            having sum(m.amount_sek) <> 0
        )
        select 'service_methods' as table_name, r._source_file as source_file,
               [r._source_row] as source_rows, 'driver_code' as column_name,
               r.driver_code as value,
               'service ''' || c.service_id || ''' has ' || c.amount_sek || ' SEK of ledger '
                   || 'cost in ' || c.period || ' (' || c.first_row.file || ' row '
                   || c.first_row.row || ' and ' || (c.ledger_rows - 1) || ' more) and is '
                   || 'split by actual volumes of ''' || r.driver_code || ''' (rule '''
                   || coalesce(r.rule_id, '') || '''), but the volumes of ' || c.period
                   || ' have none > 0'
                   || case when r.key_set is not null
                       then ' on the cost centres of its population ''' || r.key_set || ''''
                       else '' end as problem,
               'deliver volumes/volumes_' || c.period || ' with the volumes of '
                   || r.driver_code || ', or change the rule' as fix
        from costs c
        join @outcome_rules r
          on r.fiscal_year = c.fiscal_year and r.service_id = c.service_id
        where r.allocation_method = 'driver_share' and r.driver_code is not null
          and not exists (
              select 1 from @volumes v
              left join @cost_centres cc on cc.cost_centre_code = v.cost_centre_code
              where v.period = c.period and v.driver_code = r.driver_code and v.quantity > 0
                and {_in_population("r", "cc.org_code")}
          )
        """,
    ),
    ConfigurationCheck(
        "no_price",
        "a `price_list` service with ledger cost in a year for which `price_list` has no "
        "price of its driver and no price can be carried: the service had no ledger cost "
        "under a `price_list` rule the year before, or the year has no `budget` plan line for "
        "it, or the budget's rule has no planned volume > 0 of the driver",
        # What int_price_list_prices_resolved needs to carry a price into year t: a settlement
        # of t-1 (the service's cost under a price-list outcome rule in t-1, whose own price
        # this check judges in a row of its own), a budget line in t, and planned volume > 0
        # of the outcome rule's driver under the budget's rule of t (within its population).
        f"""
        with costed as (
            select distinct fiscal_year, service_id from @service_months where amount_sek <> 0
        ),
        unpriced as (
            select r.*,
                   exists (
                       select 1 from @service_months m
                       join @outcome_rules p
                         on p.fiscal_year = m.fiscal_year and p.service_id = m.service_id
                       where m.fiscal_year = r.fiscal_year - 1 and m.service_id = r.service_id
                         and p.allocation_method = 'price_list'
                   ) as has_settlement,
                   exists (
                       select 1 from @plan p
                       where p.fiscal_year = r.fiscal_year and p.scenario = 'budget'
                         and p.service_id = r.service_id and p.amount_sek is not null
                   ) as has_budget,
                   exists (
                       select 1 from @rules b
                       join @planned v
                         on v.fiscal_year = b.fiscal_year and v.scenario = b.scenario
                        and v.driver_code = b.driver_code and v.quantity > 0
                       left join @cost_centres cc on cc.cost_centre_code = v.cost_centre_code
                       where b.fiscal_year = r.fiscal_year and b.scenario = 'budget'
                         and b.service_id = r.service_id
                         and b.allocation_method in ('driver_share', 'price_list')
                         and b.driver_code = r.driver_code
                         and {_in_population("b", "cc.org_code")}
                   ) as has_volume
            from @outcome_rules r
            join costed c on c.fiscal_year = r.fiscal_year and c.service_id = r.service_id
            where r.allocation_method = 'price_list' and r.driver_code is not null
              and not exists (
                  select 1 from @prices p
                  where p.fiscal_year = r.fiscal_year and p.service_id = r.service_id
                    and p.driver_code = r.driver_code
              )
        )
        select 'service_methods' as table_name, u._source_file as source_file,
               [u._source_row] as source_rows, 'driver_code' as column_name,
               u.driver_code as value,
               'service ''' || u.service_id || ''' is charged by price list (rule '''
                   || coalesce(u.rule_id, '') || ''') and has ledger cost in ' || u.fiscal_year
                   || ', but plan/price_list.csv has no ' || u.fiscal_year || ' price of '''
                   || u.driver_code || ''' for it, and none can be carried from the '
                   || 'settlement of ' || (u.fiscal_year - 1) || ': '
                   || concat_ws('; ',
                       case when not u.has_settlement
                           then 'it has no ledger cost under a price-list rule in '
                                || (u.fiscal_year - 1) end,
                       case when not u.has_budget
                           then 'plan/plan_amounts.csv has no ' || u.fiscal_year
                                || ' budget line for it' end,
                       case when not u.has_volume
                           then 'its ' || u.fiscal_year || ' budget rule has no planned '
                                || 'volume > 0 of ''' || u.driver_code || '''' end
                   ) as problem,
               'add the unit price (' || u.fiscal_year || ', ' || u.service_id || ', '
                   || u.driver_code || ', SEK per unit and month) to plan/price_list.csv; '
                   || 'without it the price is carried from the settlement of '
                   || (u.fiscal_year - 1) || ', which needs the service charged by price list '
                   || 'in ' || (u.fiscal_year - 1) || ', a ' || u.fiscal_year || ' budget line '
                   || 'and planned volumes of ' || u.driver_code || ' in the '
                   || u.fiscal_year || ' budget' as fix
        from unpriced u
        where not (u.has_settlement and u.has_budget and u.has_volume)
        """,
    ),
    ConfigurationCheck(
        "direct_support_without_consumers",
        "a `direct` service that receives support cost in a month before its first direct "
        "charge of the year, when its outcome rule has no key set to fall back on",
        f"""
        with receivers as (
            select fiscal_year, receiving_service_id as service_id,
                   min({{'file': _source_file, 'row': _source_row}}) as first_share
            from @support
            where share > 0
            group by all
        ),
        support_months as (
            select m.fiscal_year, min(m.period) as first_period
            from @service_months m
            where m.amount_sek <> 0 and {_is_support("m.service_id", "m.fiscal_year")}
            group by m.fiscal_year
        ),
        charged as (
            select fiscal_year, service_id, min(period) as first_period
            from @service_months where has_positive_row
            group by all
        )
        select 'service_methods' as table_name, r._source_file as source_file,
               [r._source_row] as source_rows, 'key_set' as column_name, null as value,
               'service ''' || r.service_id || ''' is charged directly and receives support '
                   || 'cost in ' || r.fiscal_year || ' (' || x.first_share.file || ' row '
                   || x.first_share.row || '), from ' || s.first_period || ' on, but '
                   || case when c.first_period is null
                       then 'has no direct charge in ' || r.fiscal_year
                       else 'has its first direct charge of the year only in ' || c.first_period
                   end || ', and its outcome rule ''' || coalesce(r.rule_id, '')
                   || ''' names no key set, so nothing says who should carry the support cost '
                   || 'before then' as problem,
               'add a key set (the expected consumers'' shares, plan/allocation_keys.csv) to '
                   || 'the rule; support cost of a month without direct charges so far that '
                   || 'year follows it' as fix
        from @outcome_rules r
        join receivers x on x.fiscal_year = r.fiscal_year and x.service_id = r.service_id
        join support_months s on s.fiscal_year = r.fiscal_year
        left join charged c on c.fiscal_year = r.fiscal_year and c.service_id = r.service_id
        where r.allocation_method = 'direct' and r.key_set is null
          and (c.first_period is null or c.first_period > s.first_period)
        """,
    ),
    ConfigurationCheck(
        "no_default_cost_centre",
        "an organisation with cost centres or key shares in a year that has not exactly one "
        "default cost centre (`is_default`) valid that year",
        f"""
        with active as (
            select y.fiscal_year, c.org_code, min({{'file': c._source_file, 'row': c._source_row}})
                       as first_row
            from @years y
            join @cost_centres c on {_year_overlaps("c", "y.fiscal_year")}
            group by all
            union
            select y.fiscal_year, k.org_code, null
            from @years y
            join @keys k on {_year_overlaps("k", "y.fiscal_year")} and k.share > 0
        ),
        organisations as (
            select fiscal_year, org_code, max(first_row) as first_row from active group by all
        ),
        defaults as (
            select o.fiscal_year, o.org_code, o.first_row,
                   list(c._source_row order by c._source_row) filter (where c.is_default)
                       as default_rows,
                   min(c._source_file) filter (where c.is_default) as default_file
            from organisations o
            left join @cost_centres c
              on c.org_code = o.org_code and {_year_overlaps("c", "o.fiscal_year")}
            group by all
        )
        select 'cost_centres' as table_name,
               coalesce(default_file, first_row.file, 'organisations/cost_centres.csv')
                   as source_file,
               coalesce(default_rows, [first_row.row], []) as source_rows,
               'is_default' as column_name, org_code as value,
               'organisation ''' || org_code || ''' has '
                   || case when len(coalesce(default_rows, [])) = 0 then 'no default cost centre'
                       else len(default_rows) || ' default cost centres' end
                   || ' valid in ' || fiscal_year || ' (amounts decided per organisation, '
                   || 'fixed keys and support cost, land on it)' as problem,
               'mark exactly one of its cost centres valid in ' || fiscal_year
                   || ' is_default = true' as fix
        from defaults
        where len(coalesce(default_rows, [])) <> 1
        """,
    ),
    ConfigurationCheck(
        "support_pool_without_shares",
        "an `is_support` service with ledger cost in a year, or that receives support cost, "
        "and no `outcome` support_allocations that year",
        f"""
        with needing as (
            select fiscal_year, service_id,
                   'has ' || sum(amount_sek) || ' SEK of ledger cost in ' || fiscal_year || ' ('
                       || struct_extract(min(first_row), 'file') || ' row '
                       || struct_extract(min(first_row), 'row') || ')' as why
            from @service_months
            group by fiscal_year, service_id
            having sum(amount_sek) <> 0
            union all
            select fiscal_year, receiving_service_id,
                   'receives support cost in ' || fiscal_year || ' (' || min(_source_file)
                       || ' row ' || min(_source_row) || ')'
            from @support where share > 0
            group by fiscal_year, receiving_service_id
        ),
        needing_once as (
            select fiscal_year, service_id, min(why) as why from needing group by all
        )
        select 'services' as table_name, s._source_file as source_file,
               [s._source_row] as source_rows, 'is_support' as column_name,
               n.service_id as value,
               'support service ''' || n.service_id || ''' ' || n.why || ' but gives '
                   || 'nothing on in plan/support_allocations.csv for ' || n.fiscal_year
                   || ', so its cost could not be charged on' as problem,
               'add its receivers and shares for ' || n.fiscal_year || ' (scenario outcome) '
                   || 'to plan/support_allocations.csv' as fix
        from needing_once n
        join @services s
          on s.service_id = n.service_id and s.is_support and {_year_overlaps("s", "n.fiscal_year")}
        where not exists (
            select 1 from @support x
            where x.fiscal_year = n.fiscal_year and x.support_service_id = n.service_id
        )
        """,
    ),
    ConfigurationCheck(
        "support_shares_not_summing_to_one",
        "the shares of a support pool in a year do not sum to exactly 1",
        f"""
        select 'support_allocations' as table_name, min(_source_file) as source_file,
               list(_source_row order by _source_row) as source_rows, 'share' as column_name,
               {_trim("sum(share)")} as value,
               'the shares of support pool ''' || support_service_id || ''' in ' || fiscal_year
                   || ' sum to ' || {_trim("sum(share)")} || ', not 1' as problem,
               'correct the shares so that they sum to exactly 1 (the pool is passed on in '
                   || 'full)' as fix
        from @support
        group by fiscal_year, support_service_id
        having sum(share) <> 1
        """,
    ),
    ConfigurationCheck(
        "support_not_support_service",
        "a `support_service_id` that is not `is_support`",
        f"""
        select 'support_allocations' as table_name, min(_source_file) as source_file,
               list(_source_row order by _source_row) as source_rows,
               'support_service_id' as column_name, support_service_id as value,
               'service ''' || support_service_id || ''' gives support cost in ' || fiscal_year
                   || ' but is not a support service (services.is_support is false); only '
                   || 'support services are charged on to other services' as problem,
               'mark it is_support = true in services/services.csv (then it has no plan line '
                   || 'and no rule but step_down or reciprocal), or remove the rows' as fix
        from @support
        where not {_is_support("support_service_id", "fiscal_year")}
        group by fiscal_year, support_service_id
        """,
    ),
    ConfigurationCheck(
        "support_step_not_ordered",
        "a step-down pool that gives to a pool of the same or an earlier step, more than "
        "`support_max_step_down_steps` step-down steps, a pool with two step orders or two "
        "methods, or a reciprocal pool not after every step-down step",
        """
        with givers as (
            select fiscal_year, support_service_id, min(step_order) as step_order,
                   min(method) as method, count(distinct step_order) as step_orders,
                   count(distinct method) as methods,
                   min(_source_file) as source_file,
                   list(_source_row order by _source_row) as source_rows
            from @support
            group by fiscal_year, support_service_id
        ),
        years as (
            select fiscal_year,
                   count(distinct step_order) filter (where method = 'step_down') as steps,
                   max(step_order) filter (where method = 'step_down') as last_step_down
            from givers group by fiscal_year
        )
        select 'support_allocations' as table_name, s._source_file as source_file,
               [s._source_row] as source_rows, 'receiving_service_id' as column_name,
               s.receiving_service_id as value,
               case when s.method = 'step_down'
                   then 'step-down pool ''' || s.support_service_id || ''' (step '
                        || s.step_order || ') gives to pool ''' || s.receiving_service_id
                        || ''', which gives in step ' || g.step_order || ' (the same or an '
                        || 'earlier step): step-down passes cost on only to later steps'
                   else 'reciprocal pool ''' || s.support_service_id || ''' gives to '
                        || 'step-down pool ''' || s.receiving_service_id || ''': reciprocal '
                        || 'pools come after every step-down step and give to no step-down pool'
               end as problem,
               'give ''' || s.receiving_service_id || ''' a later step_order, or remove the '
                   || 'share' as fix
        from @support s
        join givers g
          on g.fiscal_year = s.fiscal_year and g.support_service_id = s.receiving_service_id
        where s.share > 0
          and ((s.method = 'step_down' and g.step_order <= s.step_order)
               or (s.method = 'reciprocal' and g.method = 'step_down'))
        union all
        select 'support_allocations', source_file, source_rows,
               case when methods > 1 then 'method' else 'step_order' end, support_service_id,
               'support pool ''' || support_service_id || ''' has '
                   || case when methods > 1 then methods || ' methods' else step_orders
                       || ' step orders' end || ' in ' || fiscal_year,
               'give every row of the pool the same method and step_order'
        from givers
        where methods > 1 or step_orders > 1
        union all
        select 'support_allocations', g.source_file, g.source_rows, 'step_order',
               cast(g.step_order as varchar),
               'reciprocal pool ''' || g.support_service_id || ''' has step_order '
                   || g.step_order || ' in ' || g.fiscal_year || ', not after every step-down '
                   || 'step (the last is ' || y.last_step_down || ')',
               'give the reciprocal pools a step_order greater than every step-down pool''s'
        from givers g
        join years y using (fiscal_year)
        where g.method = 'reciprocal' and g.methods = 1 and g.step_order <= y.last_step_down
        union all
        select 'support_allocations', min(g.source_file), list_sort(flatten(list(g.source_rows))),
               'step_order',
               cast(y.steps as varchar),
               g.fiscal_year || ' has ' || y.steps || ' step-down steps; at most @max_steps '
                   || 'are allowed',
               'merge steps (pools of one step may share a step_order when they do not give '
                   || 'to each other)'
        from givers g
        join years y using (fiscal_year)
        where g.method = 'step_down' and y.steps > @max_steps
        group by g.fiscal_year, y.steps
        """,
    ),
    ConfigurationCheck(
        "reciprocal_without_solution",
        "a reciprocal group that passes nothing outside itself",
        """
        with recursive reciprocal as (
            select distinct fiscal_year, support_service_id from @support where method = 'reciprocal'
        ),
        passing_on(fiscal_year, support_service_id) as (
            -- pools that give something to a service outside the reciprocal pools
            select s.fiscal_year, s.support_service_id
            from @support s
            where s.method = 'reciprocal' and s.share > 0
              and not exists (
                  select 1 from reciprocal r
                  where r.fiscal_year = s.fiscal_year and r.support_service_id = s.receiving_service_id
              )
            union
            -- and pools that give something to a pool that passes on
            select s.fiscal_year, s.support_service_id
            from @support s
            join passing_on p
              on p.fiscal_year = s.fiscal_year and p.support_service_id = s.receiving_service_id
            where s.method = 'reciprocal' and s.share > 0
        ),
        closed as (
            select r.* from reciprocal r
            where not exists (
                select 1 from passing_on p
                where p.fiscal_year = r.fiscal_year and p.support_service_id = r.support_service_id
            )
        )
        select 'support_allocations' as table_name, min(s._source_file) as source_file,
               list(s._source_row order by s._source_row) as source_rows,
               'receiving_service_id' as column_name, c.support_service_id as value,
               'reciprocal pool ''' || c.support_service_id || ''' passes nothing on outside '
                   || 'the reciprocal pools of ' || c.fiscal_year || ' (all its shares go, '
                   || 'directly or through the others, back to the pools), so the system has no '
                   || 'solution' as problem,
               'give part of its shares to the services it supports' as fix
        from closed c
        join @support s
          on s.fiscal_year = c.fiscal_year and s.support_service_id = c.support_service_id
        group by c.fiscal_year, c.support_service_id
        """,
    ),
    ConfigurationCheck(
        "lineage_weights_not_summing_to_one",
        "the weights of a predecessor's successors do not sum to exactly 1",
        f"""
        select 'service_lineage' as table_name, min(_source_file) as source_file,
               list(_source_row order by _source_row) as source_rows, 'weight' as column_name,
               {_trim("sum(weight)")} as value,
               'the weights of the successors of ''' || from_service_id || ''' from '
                   || effective_date || ' sum to ' || {_trim("sum(weight)")} || ', not 1'
                   as problem,
               'correct the weights so that they sum to exactly 1 (a rename or a move has '
                   || 'weight 1)' as fix
        from @lineage
        group by from_service_id, effective_date
        having sum(weight) <> 1
        """,
    ),
)

CHECKS_BY_NAME = {check.name: check for check in CHECKS}
