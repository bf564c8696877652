"""Beacon: a conversational retirement-guidance assistant.

The composition root is `assistant.services.deps.build_deps`; the graph is wired in
`assistant.turn.graph.build_graph`; one turn runs through `assistant.services.turn_service.run_turn`.
"""

__version__ = "0.1.0"
