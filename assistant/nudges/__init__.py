"""Life-event nudges: events, a catalog as data, a contact policy, delivery and measured uplift.

events.py      what happened (HR feed, dates, conversations, market, profile state)
figures.py     calculator figures that fill the templates (and ground their numbers for the guard)
suitability.py suitability exclusions, one small function each, in an explicit registry
catalog.py     the nudge catalog (YAML) validated at load, and rendering
policy.py      the contact policy: consent, caps, quiet periods, cool-down, arbitration, hold-out
store.py       nudge state in SQLite: feed events, contact preferences, intents, decisions, outbox, outcomes
engine.py      evaluate participants and deliver through the output guard with an audit record each
outbox.py      JSONL and .eml files for the email and SMS channels
outcomes.py    shown / opened / acted events and acted detection from profile changes
report.py      uplift against the hold-out group with confidence intervals, HTML + PNG
simulate.py    a synthetic population and behaviour for demonstrating and benchmarking
session.py     pending nudges for a participant (chat card, REST API, copilot)
"""
