"""Benchmarks (`make bench`), the local LLM server, the attack runs and the adapter through which
evals drive Beacon; used by the CLI and the tests, never by a turn."""
