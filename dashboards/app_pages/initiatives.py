"""Utvecklingsinitiativ / Development initiatives: plan per year against spend, status, and the
city's KPIs (its register, plan/kpis.csv) with their targets; names, units and targets come from
the marts."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboards.lib import charts, filters, queries, ui
from dashboards.lib.auth import require_principal
from dashboards.lib.format import (
    Unit,
    format_amount,
    format_month,
    format_number,
    format_share,
    format_signed_number,
    to_decimal,
    unit_label,
)
from dashboards.lib.i18n import current_language, t, t_optional

principal = require_principal()
lang = current_language()
unit: Unit = "sek" if filters.current_unit() == "sek" else "tkr"


def amount(value: object) -> str:
    return format_amount(to_decimal(value), unit, lang)  # type: ignore[arg-type]


st.title(t("page_initiatives_title"))
st.caption(t("initiatives_intro"))

# --- Development money per service area and plan version (from the marts every snapshot has) -----

st.subheader(t("development_per_area"))
versions = queries.plan_versions(principal)
area_rows = []
for version in versions:
    areas = queries.budget_by_area(principal, version.fiscal_year, version.scenario)
    dev = areas[(areas["cost_type"] == "development") & areas["is_area_line"]]
    for r in dev.itertuples(index=False):
        area_rows.append(
            {
                "fiscal_year": version.fiscal_year,
                "scenario": version.scenario,
                "plan_version": version.plan_version,
                "service_area_code": r.service_area_code,
                "service_area_name_sv": r.service_area_name_sv,
                "amount_sek": r.amount_sek,
            }
        )
development = pd.DataFrame(area_rows)
per_year = queries.development_by_year(principal)
development_totals = dict(zip(per_year["plan_version"], per_year["development_sek"], strict=True))
if development.empty:
    st.info(t("no_rows"))
else:
    labels = [
        v.plan_version for v in versions if v.plan_version in set(development["plan_version"])
    ]
    pivot: dict[str, dict[str, object]] = {}
    for r in development.itertuples(index=False):
        pivot.setdefault(r.service_area_name_sv, {})[r.plan_version] = r.amount_sek
    dev_table = pd.DataFrame(
        [
            {t("col_service_area"): area, **{label: amount(values.get(label)) for label in labels}}
            for area, values in sorted(pivot.items())
        ]
        + [
            {
                t("col_service_area"): t("col_total"),
                # The version's one development total (rpt_development_year), not a page sum.
                **{label: amount(development_totals.get(label)) for label in labels},
            }
        ]
    )
    ui.show_table(
        dev_table,
        development,
        "utveckling_per_tjansteomrade",
        key="initiatives_areas",
        right=labels,
    )
    st.caption(t("development_per_area_help"))

# --- Initiatives: plan per year against spend ---------------------------------------------------

st.subheader(t("initiatives_plan_vs_spend"))
initiatives = queries.initiatives_plan_vs_spend(principal)
if initiatives.empty:
    st.info(t("no_rows"))
else:
    left, middle, right = st.columns([2, 2, 3])
    areas = (
        initiatives.drop_duplicates("service_area_code")
        .set_index("service_area_code")["service_area_name_sv"]
        .dropna()
        .to_dict()
    )
    chosen_areas = left.multiselect(
        t("col_service_area"),
        sorted(areas),
        format_func=lambda a: areas.get(a, a),
        key="initiatives_area_filter",
        placeholder=t("filter_groups_placeholder"),
    )
    statuses = sorted(str(s) for s in initiatives["status"].dropna().unique())
    chosen_status = middle.multiselect(
        t("col_status"),
        statuses,
        key="initiatives_status_filter",
        placeholder=t("filter_groups_placeholder"),
    )
    search = right.text_input(t("filter_initiative"), key="initiatives_search")
    shown = initiatives
    if chosen_areas:
        shown = shown[shown["service_area_code"].isin(chosen_areas)]
    if chosen_status:
        # The status of an initiative is its slice of the latest year with outcome.
        ids = set(shown[shown["status"].isin(chosen_status)]["initiative_id"])
        shown = shown[shown["initiative_id"].isin(ids)]
    needle = search.replace("\x00", "").strip().lower()
    if needle:
        hit = shown["initiative_id"].str.lower().str.contains(needle, regex=False) | shown[
            "name_sv"
        ].fillna("").str.lower().str.contains(needle, regex=False)
        shown = shown[shown["initiative_id"].isin(set(shown[hit]["initiative_id"]))]

    years = sorted(int(y) for y in initiatives["fiscal_year"].unique())
    outcome_years = sorted(
        int(y) for y in initiatives[initiatives["as_of_month"].notna()]["fiscal_year"].unique()
    )
    table_rows = []
    for ident, rows in shown.groupby("initiative_id", sort=False):
        first = rows.iloc[0]
        by_year = {int(r.fiscal_year): r for r in rows.itertuples(index=False)}
        latest = (
            by_year[max(y for y in by_year if y in outcome_years)]
            if any(y in outcome_years for y in by_year)
            else None
        )
        record = {
            t("col_initiative_id"): ident,
            t("col_name_sv"): first["name_sv"],
            t("col_service_area"): first["service_area_name_sv"]
            or first["service_area_code"]
            or "–",
            t("col_priority"): "–" if pd.isna(first["priority"]) else str(int(first["priority"])),
            t("col_financing_channel"): t_optional(
                f"channel_{first['financing_channel']}", str(first["financing_channel"] or "–")
            ),
        }
        for year in years:
            record[t("plan_year", year=year)] = (
                amount(by_year[year].plan_sek) if year in by_year else "–"
            )
        for year in outcome_years:
            record[t("spend_year", year=year)] = (
                amount(by_year[year].spend_sek) if year in by_year else "–"
            )
        record[t("col_status")] = str(latest.status) if latest is not None else "–"
        table_rows.append(record)
    columns = [
        t("col_initiative_id"),
        t("col_name_sv"),
        t("col_service_area"),
        t("col_priority"),
        t("col_financing_channel"),
        *[t("plan_year", year=year) for year in years],
        *[t("spend_year", year=year) for year in outcome_years],
        t("col_status"),
    ]
    table = pd.DataFrame(table_rows, columns=columns)
    money_cols = [
        c
        for c in table.columns
        if c.startswith((t("plan_year", year=""), t("spend_year", year="")))
    ]
    ui.show_table(
        table,
        shown,
        "utvecklingsinitiativ_plan_och_utfall",
        key="initiatives_table",
        right=money_cols,
    )
    st.caption(t("initiatives_table_help", n=shown["initiative_id"].nunique()))

    # One development total per year (rpt_development_year): the year's budget and the outcome,
    # whatever the filters above; the initiatives' part of each is in the table under the chart.
    by_year_rows = []
    for r in per_year[per_year["is_year_budget"] | per_year["is_outcome"]].itertuples(index=False):
        series = t("series_spend") if r.is_outcome else t("series_plan")
        by_year_rows.append(
            {
                "year": str(r.fiscal_year),
                "series": series,
                "value": ui.chart_value(r.development_sek, unit),
            }
        )
    chart = (
        alt.Chart(pd.DataFrame(by_year_rows))
        .mark_bar()
        .encode(
            x=alt.X("year:N", title=t("fiscal_year")),
            xOffset=alt.XOffset("series:N", sort=[t("series_plan"), t("series_spend")]),
            y=alt.Y(
                "value:Q",
                title=t("chart_amount", unit=unit_label(unit, lang)),
                axis=alt.Axis(labelExpr=charts.axis_label_expr(lang)),
            ),
            color=alt.Color(
                "series:N",
                title=t("chart_series"),
                scale=alt.Scale(
                    domain=[t("series_plan"), t("series_spend")],
                    range=[charts.OKABE_ITO["blue"], charts.OKABE_ITO["vermillion"]],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("year:N", title=t("fiscal_year")),
                alt.Tooltip("series:N", title=t("chart_series")),
            ],
        )
        .properties(height=260)
    )
    st.altair_chart(chart, width="stretch")
    year_rows = per_year[per_year["is_year_budget"] | per_year["is_outcome"]]
    year_table = pd.DataFrame(
        {
            t("fiscal_year"): [str(y) for y in year_rows["fiscal_year"]],
            t("plan_version"): year_rows["plan_version"],
            t("col_development_total"): [amount(v) for v in year_rows["development_sek"]],
            t("col_of_which_initiatives"): [amount(v) for v in year_rows["initiatives_sek"]],
            t("col_development_other"): [amount(v) for v in year_rows["other_sek"]],
        }
    )
    money = [t("col_development_total"), t("col_of_which_initiatives"), t("col_development_other")]
    ui.show_table(year_table, year_rows, "utveckling_per_ar", key="initiatives_years", right=money)
    st.caption(t("development_per_year_help"))

# --- KPIs with targets ---------------------------------------------------------------------------

st.subheader(t("kpis"))
kpi = queries.kpis(principal)
if kpi.empty:
    st.info(t("no_rows"))
else:
    for code, rows in kpi.groupby("kpi_code", sort=False):
        city = rows[rows["org_code"] == "ALL"]
        first = rows.iloc[0]
        name = str(
            first["kpi_name_en"]
            if lang == "en" and isinstance(first["kpi_name_en"], str)
            else first["kpi_name_sv"]
        )
        unit_text = str(first["unit"] or "")
        # The register's unit (plan/kpis.csv): share (shown as %), ratio or sek.
        percent = unit_text == "share"
        st.markdown(f"**{name}**")
        series = city if not city.empty else rows

        def show_value(v: object, percent: bool = percent) -> str:
            d = to_decimal(v)  # type: ignore[arg-type]
            return format_share(d, lang) if percent else format_number(d, lang, 2)

        target = (
            to_decimal(series["target"].dropna().iloc[-1])
            if series["target"].notna().any()
            else None
        )
        points = pd.DataFrame(
            {
                "month_text": [
                    format_month(queries.as_date(m), lang) for m in series["period_month"]
                ],
                "value": [float(v) for v in series["value"]],
                "value_text": [show_value(v) for v in series["value"]],
            }
        )
        latest_row = series.iloc[-1]
        latest = to_decimal(latest_row["value"])
        chart_col, metric_col = st.columns([3, 1])
        with chart_col:
            st.altair_chart(
                charts.bars_with_target(
                    points,
                    # The KPI's name is the heading; the axis says the unit.
                    value_title=t("col_share")
                    if percent
                    else t_optional(f"kpi_unit_{unit_text}", name),
                    month_title=t("col_month"),
                    target=float(target) if target is not None else None,
                    target_label=t("kpi_target", target=show_value(target))
                    if target is not None
                    else "",
                    percent=percent,
                    lang=lang,
                ).properties(height=220),
                width="stretch",
            )
        with metric_col:
            direction_min = str(first["target_direction"] or "min") != "max"
            gap = (latest - target) if latest is not None and target is not None else None
            st.metric(
                t(
                    "kpi_latest_month",
                    month=format_month(queries.as_date(latest_row["period_month"]), lang),
                ),
                show_value(latest),
                delta=(
                    t("kpi_against_target", gap=format_signed_number(gap * 100, lang, 1))
                    if percent and gap is not None
                    else (format_signed_number(gap, lang, 2) if gap is not None else None)
                ),
                delta_color="normal" if direction_min else "inverse",
                border=True,
            )
            if target is not None:
                in_force = (
                    bool(latest_row["is_target_in_force"])
                    if not pd.isna(latest_row["is_target_in_force"])
                    else True
                )
                st.caption(
                    t("kpi_target", target=show_value(target))
                    + ("" if in_force else " " + t("kpi_target_not_in_force"))
                )
        org_rows = rows[rows["org_code"] != "ALL"]
        with st.expander(t("kpi_rows"), expanded=False):
            shown_rows = org_rows if not org_rows.empty else series
            kpi_table = pd.DataFrame(
                {
                    t("col_month"): [
                        format_month(queries.as_date(m), lang) for m in shown_rows["period_month"]
                    ],
                    t("organisation"): [
                        t("city_wide") if o == "ALL" else f"{o} {n or ''}"
                        for o, n in zip(shown_rows["org_code"], shown_rows["org_name"], strict=True)
                    ],
                    t("col_value"): [show_value(v) for v in shown_rows["value"]],
                    t("col_target"): [show_value(v) for v in shown_rows["target"]],
                }
            )
            ui.show_table(
                kpi_table,
                shown_rows,
                f"kpi_{code}",
                key=f"kpi_{code}",
                right=[t("col_value"), t("col_target")],
            )
            if principal.is_restricted and not org_rows.empty:
                st.caption(t("restricted_orgs", orgs=", ".join(principal.org_list)))

ui.snapshot_source_caption(ui.snapshot_modified_at(), lang)
