"""Alembic migrations of Beacon's stores (shipped in the package; run by `beacon db upgrade`)."""
