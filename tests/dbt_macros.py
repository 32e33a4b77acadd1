"""The dbt project's macros and models rendered with Jinja as dbt renders them, for the tests and
the dashboard fixture that run them on DuckDB directly (the macros use no dbt-only Jinja), so
that what they check is the one implementation in dbt_project/, not a copy."""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2

from pipelines.lib.settings import DBT_PROJECT_DIR

# The macros the sentences and the largest remainder need, in dependency order.
SENTENCE_MACROS = ("exact_arithmetic.sql", "sentences.sql")
SPLIT_MACROS = ("exact_arithmetic.sql", "largest_remainder.sql")
# What the marts' SQL calls (the validity predicate of a versioned row).
MART_MACROS = ("validity.sql",)


@cache
def _macros(files: tuple[str, ...]) -> str:
    return "\n".join((DBT_PROJECT_DIR / "macros" / f).read_text() for f in files)


def render(sql: str, files: tuple[str, ...], **context: Any) -> str:
    """`sql` (Jinja calling the macros of `files`) rendered to plain SQL."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    return env.from_string(_macros(files) + "\n" + sql).render(**context)


def render_model(model: str, files: tuple[str, ...], relations: dict[str, str]) -> str:
    """The model dbt_project/models/**/<model>.sql as plain SQL, `ref(name)` read from
    `relations[name]`."""
    (path,) = (DBT_PROJECT_DIR / "models").rglob(f"{model}.sql")
    return render(path.read_text(), files, ref=lambda name: relations[name])
