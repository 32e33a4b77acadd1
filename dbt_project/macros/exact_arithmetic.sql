{#- Exact integer arithmetic for the allocation engine. DuckDB's `//` and `%` truncate toward
    zero (-7 // 12 = 0), but the allocation rule needs floor division (toward minus infinity)
    so that negative pools (credits such as Inkassointäkter) split like positive ones.
    All macros assume a positive divisor. -#}

{#- a mod b in [0, b) for any sign of a. -#}
{% macro floor_mod(a, b) -%}
    ((({{ a }}) % ({{ b }}) + ({{ b }})) % ({{ b }}))
{%- endmacro %}

{#- floor(a / b), exact. -#}
{% macro floor_div(a, b) -%}
    ((({{ a }}) - {{ floor_mod(a, b) }}) // ({{ b }}))
{%- endmacro %}

{#- a / b rounded to the nearest integer, halves away from zero. -#}
{% macro round_div(a, b) -%}
    (sign({{ a }}) * {{ floor_div('2 * abs(' ~ a ~ ') + (' ~ b ~ ')', '2 * (' ~ b ~ ')') }})
{%- endmacro %}

{#- SEK decimal(18,2) -> öre as hugeint (exact: the value has two decimals). -#}
{% macro sek_to_ore(amount_sek) -%}
    cast(({{ amount_sek }}) * 100 as hugeint)
{%- endmacro %}

{#- öre (integer) -> SEK decimal(18,2), exact. Multiplying by a decimal literal keeps DuckDB in
    decimal arithmetic; dividing would give a double. -#}
{% macro ore_to_sek(amount_ore) -%}
    cast(cast({{ amount_ore }} as decimal(38, 0)) * 0.01 as decimal(18, 2))
{%- endmacro %}

{#- An integer count of 10^-scale units -> decimal(precision, scale), exact. -#}
{% macro scaled_to_decimal(value, scale, precision=18) -%}
    cast(cast({{ value }} as decimal(38, 0)) * {{ '0.' ~ ('0' * (scale - 1)) ~ '1' }} as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}

{#- w / W as decimal(18,12), rounded half up, for a non-negative weight w and a positive total
    W (both integers): floor((2 w 10^12 + W) / (2 W)), one 128-bit division (truncation is the
    floor for non-negative operands). -#}
{% macro share_of(weight, total) -%}
    {{ scaled_to_decimal('(2 * cast(' ~ weight ~ ' as hugeint) * 1000000000000 + (' ~ total ~ ')) // (2 * (' ~ total ~ '))', 12) }}
{%- endmacro %}

{#- A price-list charge in öre: unit price (SEK per unit and month, up to 4 decimals) x volume
    (up to 3 decimals), rounded to the öre with halves away from zero (DuckDB's round of a
    decimal). The one rounding rule of price-list charges: int_outcome_price_list_charged
    charges with it, int_price_list_prices_resolved sums it for the settlement. -#}
{% macro price_times_volume_ore(unit_price_sek, volume) -%}
    cast(round(cast({{ unit_price_sek }} as decimal(38, 4)) * cast({{ volume }} as decimal(38, 3)) * 100) as hugeint)
{%- endmacro %}

{#- Part k (1..n) of an integer amount spread over n parts exactly: floor(a / n), and one more
    for each of the first a - n floor(a / n) parts (the earlier parts take the extra units, as
    the monthly plan split). The parts sum to a. -#}
{% macro spread_part(amount, k, n) -%}
    ({{ floor_div(amount, n) }} + case when ({{ k }}) <= ({{ amount }}) - ({{ n }}) * {{ floor_div(amount, n) }} then 1 else 0 end)
{%- endmacro %}
