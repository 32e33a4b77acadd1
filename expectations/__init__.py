"""Great Expectations suites in code, one module per inbound contract (one per raw table)."""

from __future__ import annotations

from expectations import (
    accounts,
    allocation_keys,
    cost_centres,
    drivers,
    initiative_plan,
    initiatives,
    invoicing_accounts,
    kpis,
    ledger,
    mapping_rules,
    org_groups,
    organisations,
    plan_amounts,
    planned_volumes,
    price_list,
    published_differences,
    published_figures,
    service_areas,
    service_lineage,
    service_methods,
    services,
    support_allocations,
    volumes,
)
from expectations.base import Contract, KnownCodes, Reference, Rule

CONTRACTS: tuple[Contract, ...] = (
    organisations.CONTRACT,
    cost_centres.CONTRACT,
    service_areas.CONTRACT,
    services.CONTRACT,
    service_lineage.CONTRACT,
    drivers.CONTRACT,
    accounts.CONTRACT,
    mapping_rules.CONTRACT,
    plan_amounts.CONTRACT,
    service_methods.CONTRACT,
    allocation_keys.CONTRACT,
    planned_volumes.CONTRACT,
    price_list.CONTRACT,
    initiatives.CONTRACT,
    initiative_plan.CONTRACT,
    support_allocations.CONTRACT,
    invoicing_accounts.CONTRACT,
    ledger.CONTRACT,
    volumes.CONTRACT,
    org_groups.CONTRACT,
    kpis.CONTRACT,
    published_figures.CONTRACT,
    published_differences.CONTRACT,
)
CONTRACTS_BY_TABLE = {contract.table: contract for contract in CONTRACTS}

__all__ = ["CONTRACTS", "CONTRACTS_BY_TABLE", "Contract", "KnownCodes", "Reference", "Rule"]
