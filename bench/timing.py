"""The one timing helper the benchmarks share."""

from __future__ import annotations

import time
from collections.abc import Callable


def best(function: Callable[[], object], rounds: int = 5, repeat: int = 1) -> float:
    """The fastest of `rounds` timings of `repeat` calls of `function`, in seconds per call."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            function()
        times.append((time.perf_counter() - start) / repeat)
    return min(times)
