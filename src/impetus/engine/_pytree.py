"""A minimal pytree dataclass base, so the engine depends on jax and numpy only.

Subclasses of :class:`PyTreeNode` become frozen dataclasses registered with
``jax.tree_util.register_dataclass``.  Fields marked with :func:`static_field` are
hashed metadata (part of the tree structure), all others are array leaves.
"""

import dataclasses
from typing import Any, Self, dataclass_transform

import jax


def static_field(**kwargs: Any) -> Any:
    """A dataclass field that is treated as static metadata, not a pytree leaf."""
    metadata = dict(kwargs.pop("metadata", {}) or {})
    metadata["static"] = True
    return dataclasses.field(metadata=metadata, **kwargs)


@dataclass_transform(frozen_default=True, field_specifiers=(static_field, dataclasses.field))
class PyTreeNode:
    """Base class: frozen dataclass + pytree registration + ``replace``."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclasses.dataclass(frozen=True)(cls)
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        data = [f.name for f in fields if not f.metadata.get("static", False)]
        meta = [f.name for f in fields if f.metadata.get("static", False)]
        jax.tree_util.register_dataclass(cls, data_fields=data, meta_fields=meta)

    def replace(self, **changes: Any) -> Self:
        """Return a copy with the given fields replaced."""
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]
