"""Beacon: a conversational retirement-guidance assistant.

The composition root is `assistant.deps.build_deps`; the graph is wired in
`assistant.graph.build_graph`; one turn runs through `assistant.turn.run_turn`.
"""

__version__ = "0.1.0"
