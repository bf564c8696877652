"""Render one audit record as text an examiner can read."""

from __future__ import annotations

from typing import Any


def render_turn(r: dict[str, Any]) -> str:
    lines = [
        f"Turn {r['turn_id']}  (thread {r['thread_id']})",
        f"  when        {r.get('started_at')} -> {r.get('finished_at')}  ({r.get('latency_ms')} ms)",
        f"  who         {r.get('participant_key') or 'anonymous'}  plan {r.get('plan_id') or '-'}  channel {r.get('channel')}",
        f"  input       {r.get('redacted_input')}",
        f"  pii         {', '.join(e['placeholder'] for e in r.get('pii_entities', [])) or 'none'}",
        f"  intent      {r.get('intent')}  {r.get('route', {})}",
        f"  versions    policy {str(r.get('policy_version'))[:12]}  index {r.get('index_version')}  backend {r.get('backend')}",
        "  retrieved",
        *[f"    {p['chunk_id']}  v{p.get('version')}  score {p.get('score')}" for p in r.get("retrieved", [])],
        "  calculations",
        *[
            f"    {f['name']} = {f['value']} {f['unit']}  ({f['source']}, rule {f.get('rule')})"
            for f in r.get("calculations", [])
        ],
        f"  draft       {r.get('draft_action')}  sha256 {str(r.get('draft_hash'))[:16]}",
        f"  guard       {r.get('guard_decision')}",
        *[
            f"    [{f['outcome']:<9}] {f['rule_id']} ({f['stage']}): {f['rationale']}"
            for f in r.get("guard_findings", [])
        ],
        *([f"  errors      {r['errors']}"] if r.get("errors") else []),
        f"  final       {r.get('final_action')} ({r.get('final_reason') or 'answer'})",
        f"  citations   {', '.join(r.get('citations', [])) or 'none'}",
        "  text",
        *[f"    {line}" for line in str(r.get("final_text", "")).splitlines()],
        f"  hash        {r.get('_hash')}",
        f"  prev hash   {r.get('_prev_hash')}",
    ]
    return "\n".join(lines)
