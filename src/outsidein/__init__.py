"""outsidein: how well does a firm really understand its customers, from the outside in.

The Python API returns the same typed results as the CLI and the report::

    import outsidein
    result = outsidein.assess("outsidein-demo")
    result.readiness.verdict          # "ready" / "not_ready"
    result.readiness.to_frame()       # the twelve aspects as a polars DataFrame
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from outsidein.services.assessment import assess, import_responses, write_report
    from outsidein.services.demo import run_demo
    from outsidein.services.workspace import init_workspace, open_workspace

_LAZY = {
    "assess": "outsidein.services.assessment",
    "import_responses": "outsidein.services.assessment",
    "write_report": "outsidein.services.assessment",
    "run_demo": "outsidein.services.demo",
    "init_workspace": "outsidein.services.workspace",
    "open_workspace": "outsidein.services.workspace",
}


def __getattr__(name: str) -> Any:
    # Lazy: importing outsidein must not set up Django or load numerical libraries.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'outsidein' has no attribute {name!r}")


__all__ = [
    "assess", "import_responses", "init_workspace", "open_workspace", "run_demo", "write_report",
]
