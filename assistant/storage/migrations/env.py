"""Alembic environment: runs on the connection `assistant.storage.migrate` passes in (never reads
alembic.ini or a URL of its own, so an installed wheel migrates the database the settings name)."""

from alembic import context

from assistant.storage.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
