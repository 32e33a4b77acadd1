"""UI strings: every key in both languages, with the same placeholders."""

from __future__ import annotations

import string

import pytest

from dashboards.lib.i18n import LANGUAGES, STRINGS, t


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_has_both_languages_and_same_placeholders(key: str) -> None:
    entry = STRINGS[key]
    assert set(entry) == set(LANGUAGES)
    assert all(entry[lang].strip() for lang in LANGUAGES)
    assert _placeholders(entry["sv"]) == _placeholders(entry["en"])


def test_t_fills_placeholders_in_the_asked_language() -> None:
    assert t("rows_shown", "sv", n=63) == "63 organisationer"
    assert t("rows_shown", "en", n=63) == "63 organisations"
    assert t("snapshot_missing", "en") == "No published snapshot yet — run `make pipeline`."


def test_no_string_names_a_city_s_organisation_group() -> None:
    """Groups are data (dim_organisation, from the city's org_groups register), not UI strings."""
    assert not [key for key in STRINGS if key.startswith("group_")]
