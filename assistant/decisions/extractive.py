"""The extractive answer: sentences of the retrieved passages, cited to their section or page."""

from __future__ import annotations

import numpy as np

from assistant.decisions.drafts import Blocks, ComposeContext, Draft, by_citation, unique
from assistant.decisions.sentences import render, with_lists
from assistant.decisions.sentences import sentences as split_sentences
from assistant.embeddings import Embedder


def extractive(embedder: Embedder, blocks: Blocks, ctx: ComposeContext) -> Draft:
    """The answer from the best retrieved passages: the anchored sections of the plan's rules when
    there are any, else the most relevant passage (and a second document's, when nearly as relevant);
    at most four sentences of each, those nearest the question."""
    anchors = by_citation([p for p in ctx.passages if p.get("anchor")])
    relevant = [
        p
        for p in ctx.passages
        if p.get("score", 0) >= ctx.min_relevance and not p.get("rule_only") and not p.get("anchor")
    ]
    if anchors:
        chosen = anchors[:3]
    elif relevant:
        chosen = [relevant[0]]
        # add a second passage from a different document if it is nearly as relevant
        for p in relevant[1:]:
            if p["metadata"]["doc_id"] != chosen[0]["metadata"]["doc_id"] and p["score"] >= relevant[0]["score"] - 0.08:
                chosen.append(p)
                break
    else:
        return Draft("escalate", f"{blocks.get('no_source')} {blocks.contact(ctx.plan)}", reason="no_source")
    q = embedder.encode([ctx.query])[0]
    lines: list[str] = []
    for p in chosen:
        sentences = split_sentences(p["text"], min_chars=21)  # list items stay items
        if not sentences:
            continue
        keep = list(range(len(sentences)))
        if len(sentences) > 4:
            sims = embedder.encode(sentences) @ q
            keep = with_lists(sentences, sorted(np.argsort(-sims)[:4].tolist()))
        md = p["metadata"]
        where = f"section {md['section']}" if not md.get("page") else f"page {md['page']}"
        lines.append(f"{md['title']}, {where}: {render(sentences, keep)}")
    lines.append(blocks.get("education_note"))
    return Draft("answer", "\n\n".join(lines), unique([p["citation_id"] for p in chosen]))
