"""Decisions: the intent registry (`intents.yaml`), calculators and calculations, decision
playbooks, the grounded composer and the pre-approved text blocks it drafts from."""
