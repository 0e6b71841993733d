"""The one build clock: everything that needs "now" asks here, never the library defaults."""

from __future__ import annotations

from datetime import UTC, datetime

from pressexport.model import Site


def build_time(site: Site, now: datetime | None = None) -> datetime:
    """`--now` (a time without offset is taken in site.timezone), else the current instant."""
    return site.localize(now) if now else datetime.now(UTC)
