"""Errors raised by the evals package (which never imports assistant: it drives Beacon through
the small interface in `evals.runner.TurnRunner`).

EvalError            base; `exit_code` is what `beacon eval` exits with
├── SuiteError       a suite file is invalid (file, case id and field named); exit 2
└── TurnFailed       Beacon refused to run a turn (bad input, unknown id, store down); the case fails
"""


class EvalError(Exception):
    exit_code = 1


class SuiteError(EvalError):
    exit_code = 2


class TurnFailed(EvalError):
    pass
