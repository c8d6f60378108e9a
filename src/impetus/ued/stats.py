"""Curriculum statistics: level complexity and masked summaries of per-level values."""

import jax.numpy as jnp
from jaxtyping import Array, Bool, Float

from ..levels import Level

COMPLEXITY = ("shapes", "polygons", "circles", "joints", "revolute_joints", "fixed_joints", "thrusters")


def complexity(levels: Level) -> dict[str, Float[Array, "..."]]:
    """Counts per level (batched or not): active non-static ``shapes`` (``polygons`` +
    ``circles``), ``joints`` (``revolute_joints`` + ``fixed_joints``) and ``thrusters``."""
    st = levels.static
    body = jnp.broadcast_to(jnp.arange(st.num_bodies), levels.shape.active.shape)
    active = levels.shape.active & (body >= st.num_static_polygons)
    is_polygon = body < st.num_polygons
    joint = levels.joint.active
    count = lambda mask: jnp.sum(mask, axis=-1).astype(jnp.float32)  # noqa: E731
    return {"shapes": count(active), "polygons": count(active & is_polygon), "circles": count(active & ~is_polygon),
            "joints": count(joint), "revolute_joints": count(joint & ~levels.joint.is_fixed),
            "fixed_joints": count(joint & levels.joint.is_fixed), "thrusters": count(levels.thruster.active)}


def summary(values: Float[Array, " n"], mask: Bool[Array, " n"]) -> dict[str, Float[Array, ""]]:
    """``mean``, ``min``, ``max`` and ``median`` of the finite ``values`` where ``mask``
    (all NaN when there are none)."""
    keep = mask & jnp.isfinite(values)
    any_kept = jnp.any(keep)
    n = jnp.maximum(jnp.sum(keep), 1).astype(jnp.float32)
    nan = jnp.float32(jnp.nan)
    return {"mean": jnp.where(any_kept, jnp.sum(jnp.where(keep, values, 0.0)) / n, nan),
            "min": jnp.where(any_kept, jnp.min(jnp.where(keep, values, jnp.inf)), nan),
            "max": jnp.where(any_kept, jnp.max(jnp.where(keep, values, -jnp.inf)), nan),
            "median": jnp.nanmedian(jnp.where(keep, values, jnp.nan))}
