"""Errors raised by the guardrails package.

GuardError                 base
├── PolicyError            the policy file is missing or invalid (file and field named); stops start-up
└── AuditError             the audit store cannot be written or read
    ├── AuditConfigError   BEACON_AUDIT_URL or an audit filter is invalid (CLI exit 2)
    └── ChainBrokenError   `verify` found a record whose hash does not match (turn id named)
"""


class GuardError(Exception):
    exit_code = 1


class PolicyError(GuardError):
    exit_code = 2


class AuditError(GuardError):
    pass


class AuditConfigError(AuditError):
    exit_code = 2


class ChainBrokenError(AuditError):
    pass
