"""The composition root (`deps.build_deps`) and the services the surfaces call: `TurnService`
(one turn end to end), the copilot, the context card, the audit view, the server runtime."""
