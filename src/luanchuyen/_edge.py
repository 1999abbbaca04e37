"""Private: reach a function of the edge layer (render, io) by name, when first used.

Lower layers never import the edges (docs/architecture.md). A convenience such as
``Decision.explain`` or ``Decision._repr_html_`` still hands its work to a renderer: it names
the renderer here, and the module is imported only when the method is called.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["edge_function"]


def edge_function(module: str, name: str) -> Callable[..., Any]:
    """The function ``name`` of the edge module ``module`` (imported on first use).

    >>> edge_function("luanchuyen.render.labels", "label")("verdict", "eligible")
    'Đủ điều kiện'
    """
    found: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return found
