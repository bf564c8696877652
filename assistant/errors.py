"""Errors raised by the assistant package.

BeaconError                 base; `str(e)` is one plain sentence that says what to do
├── SettingsError           a setting is missing or invalid
├── BadInputError           a user-supplied file, row or argument is invalid (CLI exit 2)
│   ├── DocumentError       a document cannot be parsed (path named)
│   └── RosterError         a roster file cannot be read at all (path named)
├── NotFoundError           an id (participant, plan, turn, thread) does not exist
└── UnavailableError        a store or model cannot be reached right now
"""


class BeaconError(Exception):
    """Base class; the message is shown to the user as is."""

    exit_code = 1


class SettingsError(BeaconError):
    exit_code = 2


class BadInputError(BeaconError):
    exit_code = 2


class DocumentError(BadInputError):
    pass


class RosterError(BadInputError):
    pass


class NotFoundError(BeaconError):
    exit_code = 2


class UnavailableError(BeaconError):
    exit_code = 1
