"""Contract for the volume drivers (`raw.drivers`)."""

from __future__ import annotations

from expectations.base import Contract, required, unique

CONTRACT = Contract(
    table="drivers",
    rules=(*required("driver_code", "unit_sv"), unique("driver_code")),
)
