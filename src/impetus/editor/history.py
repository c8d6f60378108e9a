"""The editor's document: always a valid level, with undo and redo as a stack of snapshots.

Every change (an edit, a new level, a loaded file) is checked by the level validator
(``levels.io.level_from_document``) and then rewritten in canonical form (``to_document``: every
key present, numbers as float32), so the document held here can always be played and saved.  A
change that fails leaves the document as it was and raises :class:`EditError` or
:class:`~impetus.levels.LevelError`; :func:`problem_text` turns either into one line for the page.
"""

import re

from ..levels import Level, LevelError
from ..levels.format import to_document
from ..levels.io import level_from_document
from .model import EditError
from .ops import apply

UNDO_LIMIT = 500
_PATH = re.compile(r"\$\.(shapes|joints|thrusters)\[(\d+)\]\.?")


def canonical(doc, source: str = "level") -> tuple[dict, Level]:
    """(the canonical Impetus document, its Level) of a document of either format (Impetus or
    Kinetix); :class:`LevelError` if ``doc`` is not a valid level."""
    level = level_from_document(doc, source)
    return to_document(level), level


def problem_text(err: Exception, doc: dict | None = None) -> str:
    """One line for the page: an edit error as is, a level error's first problem; with the edited
    ``doc``, JSON paths of shapes, joints and thrusters become names (``$.shapes[4].density`` ->
    ``shape c0 density``)."""
    if not isinstance(err, LevelError):
        return str(err)
    text = err.first.removeprefix("level: ")
    if doc is None:  # a file's problem: keep the file's own JSON paths
        return text

    def name(m: re.Match) -> str:
        kind, i = m.group(1), int(m.group(2))
        if kind == "shapes" and i < len(doc.get("shapes", [])):
            return f"shape {doc['shapes'][i].get('id', i)} "
        return f"{kind[:-1]} {i} "

    return _PATH.sub(name, text).replace("$.", "").replace(" : ", ": ")


class History:
    """A valid level document with undo/redo.  ``doc`` is the current document, ``level`` its Level."""

    def __init__(self, doc: dict, source: str = "level"):
        doc, level = canonical(doc, source)
        self._states: list[tuple[dict, Level]] = [(doc, level)]
        self._at = 0

    @property
    def doc(self) -> dict:
        return self._states[self._at][0]

    @property
    def level(self) -> Level:
        return self._states[self._at][1]

    @property
    def can_undo(self) -> bool:
        return self._at > 0

    @property
    def can_redo(self) -> bool:
        return self._at < len(self._states) - 1

    def edit(self, op: str, args: dict) -> dict:
        """Apply edit ``op`` (see ``ops.OPERATIONS``) and return the new document."""
        new = apply(self.doc, op, args)
        try:
            return self.replace(new)
        except LevelError as err:
            raise EditError(f"{op}: {problem_text(err, new)}") from None

    def replace(self, doc: dict, source: str = "level") -> dict:
        """Make ``doc`` (validated) the current document; undoable."""
        state = canonical(doc, source)
        if state[0] == self.doc:
            return self.doc
        del self._states[self._at + 1:]
        self._states.append(state)
        if len(self._states) > UNDO_LIMIT:
            del self._states[0]
        self._at = len(self._states) - 1
        return self.doc

    def undo(self) -> bool:
        """Step back one change; ``False`` if there is none."""
        if not self.can_undo:
            return False
        self._at -= 1
        return True

    def redo(self) -> bool:
        """Step forward one undone change; ``False`` if there is none."""
        if not self.can_redo:
            return False
        self._at += 1
        return True
