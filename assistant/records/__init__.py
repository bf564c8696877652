"""People and records: participants, plan provisions and IRS limits, logins and sign-in, access
records, hand-offs, feedback, thread ownership, rate limits, pseudonyms, privacy (erasure, holds,
retention). Imports only storage and the foundation modules."""
