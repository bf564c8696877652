"""Knowledge access: indexing (parsers, chunking, the Chroma index, ingest, BM25, document
lifecycle), plan-scoped hybrid retrieval, and the anchors that say where an intent's rules are."""
