"""Compliance regression suites (`beacon eval`): suite models, checks, runner and reports; shipped suites in evals/suites/."""
