"""One turn as a LangGraph graph: `graph.py` wires the nodes in `nodes/` over `state.py`;
`result.py` is the typed result every surface shows."""
