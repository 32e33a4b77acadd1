"""Filters remembered across pages (year, month, organisation, service) and shareable URLs.

A filter's choice lives in one session-wide store (`st.session_state["_filters"]`, plain text
codes such as a year `YYYY`, a month `YYYY-MM`, an organisation code, a service id), so the year
chosen on *Översikt* is the year on *Min organisation*. Each page's widget is built from the
store and writes back to it.

The URL carries the same codes (`?year=<YYYY>&org=<org_code>`) so that a view can be shared. A
URL is only ever a wish: each widget accepts a code only when it is one of its options, and the
options come from queries that already apply the principal's access. A controller who edits
another organisation's code into the URL gets her own organisation, and the query layer would
return nothing for the other one anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

import streamlit as st

from dashboards.lib.i18n import t

T = TypeVar("T")

STORE_KEY = "_filters"
URL_CAPTURED_KEY = "_filters_url_captured"
USED_KEY = "_filters_used"
UNIT_KEY = "show_sek"
# The filters that travel in the URL; anything else in a URL is ignored.
URL_FILTERS: tuple[str, ...] = ("year", "month", "org", "service", "cc")
_MAX_CODE_LENGTH = 64


def _store() -> dict[str, str]:
    store = st.session_state.get(STORE_KEY)
    if not isinstance(store, dict):
        store = {}
        st.session_state[STORE_KEY] = store
    return store


def capture_url_once() -> None:
    """On a session's first run, take the URL's filter codes as the starting choices.

    Called by the router before the log-in, so a shared link survives signing in. The codes are
    only text; every widget checks them against its own options.
    """
    if st.session_state.get(URL_CAPTURED_KEY):
        return
    st.session_state[URL_CAPTURED_KEY] = True
    store = _store()
    for name in URL_FILTERS:
        value = st.query_params.get(name)
        if isinstance(value, str) and value and len(value) <= _MAX_CODE_LENGTH:
            store[name] = value


def begin_run() -> None:
    """Called by the router at the start of every run: no filter drawn yet."""
    st.session_state[USED_KEY] = set()


def drop_unused_url_params() -> None:
    """Called by the router after the page ran: the URL names only the filters this page has,
    so a shared link never carries a filter the page ignores (it stays remembered, though)."""
    used = st.session_state.get(USED_KEY) or set()
    for name in URL_FILTERS:
        if name not in used and name in st.query_params:
            del st.query_params[name]


def remembered(name: str) -> str | None:
    """The code remembered for a filter (for pages that need it before drawing the widget)."""
    return _store().get(name)


def remember(name: str, code: str | None) -> None:
    """Set a filter's choice from code (a drill-down link); the widget follows on its next draw."""
    store = _store()
    if code is None:
        store.pop(name, None)
    else:
        store[name] = code
    # The widget's own state would otherwise win over the store on the next draw.
    st.session_state.pop(f"filter_{name}", None)


def _publish(name: str, code: str) -> None:
    used = st.session_state.get(USED_KEY)
    if isinstance(used, set):
        used.add(name)
    if name in URL_FILTERS and st.query_params.get(name) != code:
        st.query_params[name] = code


def select(
    name: str,
    label: str,
    options: Sequence[T],
    *,
    default: T | None = None,
    format_func: Callable[[T], str] = str,
    encode: Callable[[T], str] = str,
    help: str | None = None,
    container: Any = None,
) -> T | None:
    """A selectbox whose choice is remembered across pages and mirrored in the URL.

    Returns None only when there are no options. A remembered or URL code that is not one of
    `options` is ignored (the default is used instead): options decide what can be chosen.
    """
    if not options:
        remember(name, None)
        return None
    key = f"filter_{name}"
    codes = [encode(option) for option in options]
    store = _store()

    current = st.session_state.get(key)
    if current is not None and current in options:
        # The widget's own value is the newest (the user just changed it on this page).
        chosen_code = encode(current)
    elif store.get(name) in codes:
        chosen_code = store[name]
    elif default is not None and encode(default) in codes:
        chosen_code = encode(default)
    else:
        chosen_code = codes[0]
    st.session_state[key] = options[codes.index(chosen_code)]

    def _changed() -> None:
        value = st.session_state.get(key)
        if value is not None and value in options:
            store[name] = encode(value)

    widget = container if container is not None else st
    value = widget.selectbox(
        label,
        options,
        key=key,
        format_func=format_func,
        on_change=_changed,
        help=help,
    )
    if value is None or value not in options:  # a crafted session value; never trust it
        value = options[codes.index(chosen_code)]
    code = encode(value)
    store[name] = code
    _publish(name, code)
    return value


def month_code(value: date) -> str:
    return value.strftime("%Y-%m")


def unit_toggle() -> str:
    """The sidebar switch between tkr and SEK; one switch for every page."""
    return "sek" if st.sidebar.toggle(t("show_in_sek"), key=UNIT_KEY) else "tkr"


def current_unit() -> str:
    return "sek" if st.session_state.get(UNIT_KEY) else "tkr"
