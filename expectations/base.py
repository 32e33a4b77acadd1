"""What an inbound contract is: a Great Expectations suite over one raw table, with a severity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import great_expectations as gx
import pandas as pd

Severity = Literal["blocking", "warning"]

# Added by the loader to every raw row; part of every raw table's schema.
LINEAGE_COLUMNS = ["_source_file", "_source_row", "_file_hash", "_loaded_at"]


@dataclass(frozen=True)
class KnownCodes:
    """Codes the reference data allows, read from the warehouse before validating."""

    organisations: frozenset[str] = field(default_factory=frozenset)
    cost_centres: frozenset[str] = field(default_factory=frozenset)
    services: frozenset[str] = field(default_factory=frozenset)
    accounts: frozenset[str] = field(default_factory=frozenset)
    drivers: frozenset[str] = field(default_factory=frozenset)
    fiscal_years: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Contract:
    """One inbound contract: the raw table it guards, how to build its suite, how severe."""

    name: str
    table: str
    severity: Severity
    build_suite: Callable[[KnownCodes], gx.ExpectationSuite]
    # Derived frames validated beside the raw rows (e.g. one row per voucher with its sum).
    derive: Callable[[pd.DataFrame], dict[str, pd.DataFrame]] | None = None
    derived_suites: dict[str, Callable[[KnownCodes], gx.ExpectationSuite]] = field(default_factory=dict)


def suite(name: str, *expectations: gx.expectations.Expectation) -> gx.ExpectationSuite:
    built = gx.ExpectationSuite(name=name)
    for expectation in expectations:
        built.add_expectation(expectation)
    return built


def sorted_codes(codes: frozenset[str]) -> list[str]:
    return sorted(codes)
