"""Errors raised by the evals package.

EvalError            base
└── SuiteError       a suite file is invalid (file, case id and field named); `beacon eval` exits 2
"""

from assistant.errors import BadInputError


class EvalError(Exception):
    pass


class SuiteError(BadInputError, EvalError):
    exit_code = 2
