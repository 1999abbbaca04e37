"""Measurements the benchmark sections share."""

from __future__ import annotations

import resource
from pathlib import Path

__all__ = ["peak_rss"]


def peak_rss() -> int:
    """This process's peak RSS in bytes: ``VmHWM`` (reset by ``exec``, unlike ``ru_maxrss``,
    which a child started by ``subprocess`` inherits from its parent: a child of an 800 MiB
    bench process reported 858 MiB for a 200 MiB job)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
