"""Errors of the nudge engine (all are `assistant.errors` classes, so the CLI prints them plainly).

BadInputError (assistant.errors)
├── NudgeConfigError    the catalog, contact policy or events file is invalid (file, entry, field named)
├── FeedError           a feed file cannot be read at all (bad rows are reported with line numbers, not raised)
└── BadDateError        a date argument is not an ISO date
NotFoundError (assistant.errors)
└── UnknownNudgeError   a nudge id or decision id that does not exist
"""

from __future__ import annotations

from assistant.errors import BadInputError, NotFoundError


class NudgeConfigError(BadInputError):
    pass


class FeedError(BadInputError):
    pass


class BadDateError(BadInputError):
    pass


class UnknownNudgeError(NotFoundError):
    pass
