"""Where the identity-changing work plugs into the window.

The window shows the actions (context menu on mentions and entities, F2
rename, Ctrl+M merge) but does not change entity identity itself: that is
the resolver's job (merge/split/link/unlink with history). Each action is
enabled only when its hook is set. The lead wires them, for example::

    window.hooks.link_mention = lambda mention_id: ...      # open the type-ahead dialog
    window.hooks.unlink_mention = lambda mention_id: ...    # push an undo command
    window.update_actions()

A hook that changes the knowledge base should push a ``QUndoCommand`` onto
``window.undo_stack`` (whose redo/undo call the resolver) and then call
``window.knowledge_changed()`` so every view reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields


@dataclass
class EditHooks:
    # mention id -> link it to another entity (type-ahead over names and aliases)
    link_mention: Callable[[int], None] | None = None
    # mention id -> detach it from its entity
    unlink_mention: Callable[[int], None] | None = None
    # mention id -> "not an entity" (remembered for every article)
    not_an_entity: Callable[[int], None] | None = None
    # mention id -> confirm the suggested link
    confirm_mention: Callable[[int], None] | None = None
    # (article id, start, end, entity type) -> new mention from a text selection
    mark_selection: Callable[[int, int, int, str], None] | None = None
    # entity id -> rename (F2)
    rename_entity: Callable[[int], None] | None = None
    # (entity id, not an entity?) -> remove the entity after asking (undoable)
    delete_entity: Callable[[int, bool], None] | None = None
    # entity ids (two or more) -> merge dialog (Ctrl+M)
    merge_entities: Callable[[list[int]], None] | None = None
    # (entity id or None, mention id or None) -> add to the open dossier
    add_to_dossier: Callable[[int | None, int | None], None] | None = None
    # (article id, start, end) -> add the selected text as an excerpt to the open dossier
    add_excerpt: Callable[[int, int, int], None] | None = None
    # article id -> add the whole article to the open dossier
    add_article: Callable[[int], None] | None = None
    # entity id -> ask for a name and its kind, then add it as an alias
    add_alias: Callable[[int], None] | None = None
    # (entity id, alias names) -> remove those aliases
    remove_aliases: Callable[[int, list[str]], None] | None = None
    # (entity id, alias names) -> split them and their mentions out into a new entity
    split_aliases: Callable[[int, list[str]], None] | None = None
    # (entity id, PER/ORG/LOC/MISC) -> change the entity's type
    set_type: Callable[[int, str], None] | None = None
    # (entity id, evidence mention id or None) -> the "Add relation" dialog
    add_relation: Callable[[int, int | None], None] | None = None
    # relation id -> remove the relation
    remove_relation: Callable[[int], None] | None = None

    def missing(self) -> list[str]:
        """Names of the hooks nobody has plugged in yet."""
        return [f.name for f in fields(self) if getattr(self, f.name) is None]


NOT_WIRED = "Available once entity linking is installed in this build"
