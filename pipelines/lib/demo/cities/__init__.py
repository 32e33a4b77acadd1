"""The demo cities `fordela demo-data --city <id>` can write, and the fiscal years each supports.

Plain data with no generator imports, so the CLI can check `--city` and `--years` cheaply; the
generators themselves are imported by `pipelines.lib.demo.generate` when a city is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    """One demo city profile."""

    city_id: str  # what `--city` takes (ASCII)
    name: str
    default_years: tuple[int, ...]
    first_year: int  # the supported range of `--years`
    last_year: int
    why_range: str  # said when a year is outside the range
    description: str


CITIES: dict[str, City] = {
    "goteborg": City(
        city_id="goteborg",
        name="Göteborg",
        default_years=(2016, 2017),
        first_year=2016,
        last_year=2030,
        why_range="the demo city starts with the published 2016 plan",
        description="Göteborg's shared services 2016/2017 (the published plan, 63 organisations)",
    ),
    "sjobacka": City(
        city_id="sjobacka",
        name="Sjöbacka kommun",
        default_years=(2024, 2025),
        first_year=2021,
        last_year=2029,
        why_range="Sjöbacka is designed around 2024-2025 and extrapolated from 2021 to 2029",
        description="a small fictional municipality: 10 organisations, every allocation method",
    ),
}
DEFAULT_CITY = "goteborg"


def city_profile(city_id: str) -> City:
    """The profile of `city_id`, or a ValueError that names the known cities."""
    try:
        return CITIES[city_id]
    except KeyError:
        raise ValueError(
            f"city: unknown demo city {city_id!r}; known cities: {', '.join(CITIES)}"
        ) from None
