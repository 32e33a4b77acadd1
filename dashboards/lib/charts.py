"""Altair charts in a colour-blind-safe palette (Okabe-Ito), with Swedish or English number axes."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboards.lib.format import Lang

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Order as published.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
PALETTE: list[str] = list(OKABE_ITO.values())

# Fixed colours per cost type, the same on every page.
COST_TYPE_COLOURS: dict[str, str] = {
    "maintenance": OKABE_ITO["blue"],
    "development": OKABE_ITO["orange"],
}


def axis_label_expr(lang: Lang, fmt: str = ",.0f") -> str:
    """A Vega expression that writes axis numbers as the language does (1 234,5 / 1,234.5)."""
    if lang == "sv":
        # d3 writes 1,234.5: commas to a placeholder, the point to a comma, then the
        # placeholder to a non-breaking space.
        return (
            f"replace(replace(replace(format(datum.value, '{fmt}'), regexp(',', 'g'), '_'), "
            "regexp('\\\\.', 'g'), ','), regexp('_', 'g'), '\u00a0')"
        )
    return f"format(datum.value, '{fmt}')"


def stacked_bar_by_cost_type(
    data: pd.DataFrame,
    *,
    category_title: str,
    value_title: str,
    cost_type_title: str,
    lang: Lang,
) -> alt.Chart:
    """Horizontal bars per category, stacked by cost type.

    `data` columns: category (label), cost_type (key), cost_type_label, value (float, in the
    displayed unit), value_text (the formatted amount for the tooltip).
    """
    present = [c for c in COST_TYPE_COLOURS if c in set(data["cost_type"])]
    labels = data.drop_duplicates("cost_type").set_index("cost_type")["cost_type_label"].to_dict()
    totals = data.groupby("category")["value"].sum().sort_values(ascending=False)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", title=category_title, sort=list(totals.index)),
            x=alt.X(
                "sum(value):Q",
                title=value_title,
                axis=alt.Axis(labelExpr=axis_label_expr(lang)),
            ),
            color=alt.Color(
                "cost_type_label:N",
                title=cost_type_title,
                scale=alt.Scale(
                    domain=[labels[c] for c in present],
                    range=[COST_TYPE_COLOURS[c] for c in present],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("cost_type_order:Q"),
            tooltip=[
                alt.Tooltip("category:N", title=category_title),
                alt.Tooltip("cost_type_label:N", title=cost_type_title),
                alt.Tooltip("value_text:N", title=value_title),
            ],
        )
        .transform_calculate(
            cost_type_order="datum.cost_type === 'maintenance' ? 0 : 1",
        )
    )


# Fixed colours per scenario, the same on every page: outcome is the strong colour.
SCENARIO_COLOURS: dict[str, str] = {
    "outcome": OKABE_ITO["vermillion"],
    "budget": OKABE_ITO["blue"],
    "forecast": OKABE_ITO["sky_blue"],
    "computed_forecast": OKABE_ITO["reddish_purple"],
    "target": OKABE_ITO["black"],
    "unit_price": OKABE_ITO["bluish_green"],
    "unit_cost": OKABE_ITO["orange"],
}


def monthly_lines(
    data: pd.DataFrame,
    *,
    value_title: str,
    series_title: str,
    month_title: str,
    lang: Lang,
    series: list[tuple[str, str]],
    dashed: tuple[str, ...] = (),
    height: int = 320,
) -> alt.Chart:
    """Lines per series over months.

    `data` columns: month (datetime64, first of month), month_text (label for the tooltip),
    series (key), series_label, value (float), value_text. `series` = [(key, colour name in
    SCENARIO_COLOURS)] in legend order; keys in `dashed` are drawn dashed (plans).
    """
    present = [(key, colour) for key, colour in series if key in set(data["series"])]
    labels = data.drop_duplicates("series").set_index("series")["series_label"].to_dict()
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "month:T",
                title=month_title,
                axis=alt.Axis(format="%Y-%m", labelAngle=-45, tickCount="month"),
            ),
            y=alt.Y("value:Q", title=value_title, axis=alt.Axis(labelExpr=axis_label_expr(lang))),
            color=alt.Color(
                "series_label:N",
                title=series_title,
                scale=alt.Scale(
                    domain=[labels[k] for k, _ in present],
                    range=[SCENARIO_COLOURS[c] for _, c in present],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.condition(
                alt.FieldOneOfPredicate(field="series", oneOf=list(dashed) or ["-"]),
                alt.value([6, 3]),
                alt.value([1, 0]),
            ),
            tooltip=[
                alt.Tooltip("month_text:N", title=month_title),
                alt.Tooltip("series_label:N", title=series_title),
                alt.Tooltip("value_text:N", title=value_title),
            ],
        )
        .properties(height=height)
    )


def diverging_bars(
    data: pd.DataFrame,
    *,
    category_title: str,
    value_title: str,
    lang: Lang,
    height: int | None = None,
) -> alt.Chart:
    """Horizontal bars around zero: increases in vermillion, decreases in blue (Okabe-Ito).

    `data` columns: category (label, in display order), value (float), value_text.
    """
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", title=category_title, sort=list(data["category"])),
            x=alt.X("value:Q", title=value_title, axis=alt.Axis(labelExpr=axis_label_expr(lang))),
            color=alt.condition(
                "datum.value > 0",
                alt.value(OKABE_ITO["vermillion"]),
                alt.value(OKABE_ITO["blue"]),
            ),
            tooltip=[
                alt.Tooltip("category:N", title=category_title),
                alt.Tooltip("value_text:N", title=value_title),
            ],
        )
    )
    if height is not None:
        chart = chart.properties(height=height)
    return chart


def bars_with_target(
    data: pd.DataFrame,
    *,
    value_title: str,
    month_title: str,
    target: float | None,
    target_label: str,
    percent: bool,
    lang: Lang,
) -> alt.LayerChart | alt.Chart:
    """Monthly bars of one indicator with its target as a rule (KPIs).

    `data` columns: month_text (in time order), value (float), value_text.
    """
    fmt = ".0%" if percent else ",.0f"
    bars = (
        alt.Chart(data)
        .mark_bar(color=OKABE_ITO["bluish_green"])
        .encode(
            x=alt.X("month_text:O", title=month_title, sort=None, axis=alt.Axis(labelAngle=-45)),
            y=alt.Y(
                "value:Q",
                title=value_title,
                axis=alt.Axis(format=fmt)
                if percent
                else alt.Axis(labelExpr=axis_label_expr(lang, ",.2~f")),
            ),
            tooltip=[
                alt.Tooltip("month_text:N", title=month_title),
                alt.Tooltip("value_text:N", title=value_title),
            ],
        )
    )
    if target is None:
        return bars
    rule = (
        alt.Chart(pd.DataFrame({"target": [target], "label": [target_label]}))
        .mark_rule(color=OKABE_ITO["black"], strokeDash=[6, 3], size=2)
        .encode(y="target:Q", tooltip=[alt.Tooltip("label:N", title=value_title)])
    )
    return alt.layer(bars, rule)
