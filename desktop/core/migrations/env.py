"""Alembic environment: always run on the connection that store.open_store passes
in, never from a URL in an ini file, so migrations touch only the file the app
opened."""

from alembic import context
from sqlmodel import SQLModel

import desktop.core.models  # noqa: F401  (registers the tables on the metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot ALTER most things; batch mode copies the table instead.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
