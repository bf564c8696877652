"""Graph nodes: plain functions `(state, deps) -> partial state`, one file each.

`bind` turns a node into what LangGraph calls: it times the node, skips it once an earlier
stage failed, and turns an exception into an entry in `errors` so the turn fails closed and is
still audited.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from assistant.turn.state import TurnState

log = logging.getLogger("beacon.graph")

Node = Callable[[TurnState, Any], dict[str, Any]]

# Stages that still run after a failure, so the turn is finalized and audited.
ALWAYS_RUN = {"finalize", "audit"}


def bind(name: str, fn: Node, deps: Any) -> Callable[[TurnState], dict[str, Any]]:
    @functools.wraps(fn)
    def node(state: TurnState) -> dict[str, Any]:
        if state.get("errors") and name not in ALWAYS_RUN:
            return {}
        t0 = time.perf_counter()
        try:
            update = fn(state, deps)
        except Exception as e:
            if name == "audit":
                raise
            log.warning("turn %s: stage %s failed: %s", state.get("turn_id"), name, type(e).__name__)
            update = {"errors": [*state.get("errors", []), {"stage": name, "error": f"{type(e).__name__}: {e}"[:300]}]}
        timings = dict(state.get("timings", {}))
        timings[name] = round((time.perf_counter() - t0) * 1000, 2)
        return {**update, "timings": timings}

    return node
