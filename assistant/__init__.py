"""Beacon: a conversational retirement-guidance assistant.

The rooms, top to bottom (each imports only the rooms below it; `make lint` checks it):

    surfaces/       the `beacon` CLI, the REST API, the server, the Chainlit chat and copilot
    tooling/        benchmarks, the local LLM server, the eval adapter
    services/       the composition root (`deps.build_deps`) and `TurnService` (one turn end to end)
    turn/           the LangGraph graph of a turn: state, nodes, the typed `TurnResult`
    understanding/  intent routing;   retrieval/ indexing and search;   llm/ the LLM backend;
    nudges/         life-event nudges
    decisions/      the intent registry, calculators, playbooks, the grounded composer
    records/        participants, plans, users, access, hand-offs, feedback, privacy
    storage/        database connections
    settings.py, errors.py, embeddings.py   used by every room
"""

__version__ = "0.1.0"
