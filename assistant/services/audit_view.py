"""Render one audit record as text an examiner can read."""

from __future__ import annotations

from typing import Any


def _inputs(inputs: dict[str, Any] | None) -> str:
    return ", ".join(f"{k}={v}" for k, v in (inputs or {}).items())


def render_event(r: dict[str, Any]) -> str:
    """A privacy event (erasure, legal hold, release, retention purge)."""
    fields = {k: v for k, v in r.items() if not k.startswith("_") and k not in ("kind", "turn_id", "thread_id")}
    return "\n".join(
        [
            f"{str(r.get('kind')).replace('_', ' ').title()} {r['turn_id']}",
            *[f"  {k:<12}{v}" for k, v in fields.items()],
            f"  recorded    {r.get('_created_at')}  (record {r.get('_seq')})",
            f"  hash        {r.get('_hash')}",
            f"  prev hash   {r.get('_prev_hash')}",
        ]
    )


def render_turn(r: dict[str, Any]) -> str:
    if r.get("kind", "turn") != "turn":
        return render_event(r)
    prompt = r.get("prompt") or {}
    withheld = r.get("withheld") or {}
    lines = [
        f"Turn {r['turn_id']}  (thread {r['thread_id']})",
        f"  when        {r.get('started_at')} -> {r.get('finished_at')}  ({r.get('latency_ms')} ms)",
        f"  who         {r.get('participant_key') or 'anonymous'}  plan {r.get('plan_id') or '-'}  channel {r.get('channel')}",
        f"  input       {r.get('redacted_input')}",
        f"  pii         {', '.join(e['placeholder'] for e in r.get('pii_entities', [])) or 'none'}",
        f"  intent      {r.get('intent')}  {r.get('route', {})}",
        f"  versions    policy {str(r.get('policy_version'))[:12]}  index {r.get('index_version')}  backend {r.get('backend')}",
        f"  prompt      {prompt.get('name')} {prompt.get('version') or ''} sha256 {prompt.get('sha256')}",
        "  retrieved",
        *[
            f"    {p['chunk_id']}  v{p.get('version')}  doc sha256 {str(p.get('doc_sha256'))[:12]}  score {p.get('score')}"
            for p in r.get("retrieved", [])
        ],
        "  calculations",
        *[
            f"    {f['name']} = {f['value']} {f['unit']}  ({f['source']}, rule {f.get('rule')})"
            + (f"  inputs: {_inputs(f.get('inputs'))}" if f.get("inputs") else "")
            for f in r.get("calculations", [])
        ],
        f"  draft       {r.get('draft_action')}  sha256 {str(r.get('draft_hash'))[:16]}",
        f"  guard       {r.get('guard_decision')}",
        *[
            f"    [{f['outcome']:<9}] {f['rule_id']} ({f['stage']}): {f['rationale']}"
            + (f"  evidence: {f['evidence']!r}" if f.get("evidence") else "")
            for f in r.get("guard_findings", [])
        ],
        *([f"  errors      {r['errors']}"] if r.get("errors") else []),
        f"  final       {r.get('final_action')} ({r.get('final_reason') or 'answer'})",
        f"  citations   {', '.join(r.get('citations', [])) or 'none'}",
        "  text",
        *[f"    {line}" for line in str(r.get("final_text", "")).splitlines()],
        *(
            [
                f"  withheld    the turn's own record could not be written, so its {withheld.get('final_action')} "
                f"(text sha256 {str(withheld.get('final_text_sha256'))[:16]}) was not shown; "
                f"intent {withheld.get('intent')}, guard {withheld.get('guard_decision')}"
            ]
            if withheld
            else []
        ),
        *([f"  supersedes  {r['supersedes']}"] if r.get("supersedes") else []),
        *(["  spooled     written late from the audit spool (the store was down)"] if r.get("spooled") else []),
        f"  recorded    {r.get('_created_at')}  (record {r.get('_seq')})",
        f"  hash        {r.get('_hash')}",
        f"  prev hash   {r.get('_prev_hash')}",
    ]
    return "\n".join(lines)
