"""Great Expectations suites in code, one module per inbound contract."""

from __future__ import annotations

from expectations import ledger, plan_amounts, volumes
from expectations.base import Contract, KnownCodes

CONTRACTS: tuple[Contract, ...] = (ledger.CONTRACT, volumes.CONTRACT, plan_amounts.CONTRACT)

__all__ = ["CONTRACTS", "Contract", "KnownCodes"]
