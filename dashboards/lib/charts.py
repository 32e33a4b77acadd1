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


def axis_label_expr(lang: Lang) -> str:
    """A Vega expression that groups axis numbers as the language does (1 234 / 1,234)."""
    if lang == "sv":
        # d3 groups with commas; swap them for non-breaking spaces.
        return "replace(format(datum.value, ',.0f'), regexp(',', 'g'), '\u00a0')"
    return "format(datum.value, ',.0f')"


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
