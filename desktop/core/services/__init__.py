"""The operations the window and the CLI call.

Each function takes the :class:`~desktop.core.store.Store`, opens one session,
does one transaction and returns plain data (dataclasses), never ORM objects
bound to a session. Modules are split by area so that importing one does not
pull in the heavy dependencies of another (spaCy, PDF readers).
"""
