-- Year-end forecast back-test: for every fiscal year whose outcome is complete, the city-wide
-- run-rate forecast made at month var bvo_forecast_test_month (June) is within
-- var bvo_year_end_forecast_tolerance (a share of the actual full-year outcome) of that
-- outcome. A warning, not an error: it measures the forecast method on the data, it does not
-- guard the integrity of a number. Returns the years outside the tolerance.

{{ config(severity='warn') }}

{%- set test_month = var('bvo_forecast_test_month', 6) %}
{%- set tolerance = var('bvo_year_end_forecast_tolerance', 0.02) %}

with

forecasts as (

    select * from {{ ref('rpt_year_end_forecast') }}

),

city as (

    select
        fiscal_year,
        sum(forecast_full_year_sek) as forecast_sek,
        sum(actual_full_year_sek) as actual_sek
    from forecasts
    where as_of_month_number = {{ test_month }}
        and actual_full_year_sek is not null
    group by fiscal_year

),

final as (

    select
        *,
        forecast_sek - actual_sek as error_sek
    from city
    where abs(forecast_sek - actual_sek) > {{ tolerance }} * abs(actual_sek)

)

select * from final
