"""Generated levels and compiled functions shared by the generator and mutator tests.

Everything is cached per test session so each program compiles once: the M-size batch
generator, the unbatched generator, the batched mutator and the no-op rollout.
"""

import functools
import math

import jax
import jax.numpy as jnp
import numpy as np

from impetus.engine.scenes import static_for_size
from impetus.levels import BLUE, GREEN, Level
from impetus.levels.generate import sample_level
from impetus.levels.mutate import mutate_level
from impetus.levels.noop_filter import noop_outcome
from impetus.levels.world import box_corners, walls_level

STATIC = static_for_size("m")
NUM_LEVELS = 10_000
TRACES = []  # one entry per trace of ``single``


@functools.cache
def batch_generator():
    return jax.jit(jax.vmap(lambda k: sample_level(k, STATIC)))


def _single(key):
    TRACES.append(1)
    return sample_level(key, STATIC)


single = jax.jit(_single)


@functools.cache
def level_keys():
    return jax.random.split(jax.random.key(0), NUM_LEVELS)


@functools.cache
def many_levels() -> Level:
    """``NUM_LEVELS`` generated M levels (one batched call)."""
    return batch_generator()(level_keys())


def take(levels: Level, index) -> Level:
    return jax.tree_util.tree_map(lambda x: x[index], levels)


@functools.cache
def batch_mutator():
    """``(keys, levels, num_edits, weights) -> levels``; ``num_edits`` and weights are traced."""
    return jax.jit(jax.vmap(mutate_level, in_axes=(0, 0, None, None)))


@functools.cache
def rollout():
    """``levels -> (solved, nonfinite)`` after 50 no-op physics steps."""
    return jax.jit(lambda levels: noop_outcome(levels, 50))


def hand_level(green_on_blue: bool) -> Level:
    """A blue box on the floor and a green ball (with a thruster) resting on it or beside it."""
    P = STATIC.num_polygons
    lv = walls_level(STATIC)
    s = lv.shape
    green_at = (2.5, 1.0) if green_on_blue else (1.0, 0.6)
    position = s.position.at[4].set(jnp.array([2.5, 0.6])).at[P].set(jnp.array(green_at))
    shape = s.replace(position=position, active=s.active.at[4].set(True).at[P].set(True),
                      role=s.role.at[4].set(BLUE).at[P].set(GREEN))
    verts = lv.polygon_vertices.at[4, :4].set(box_corners(0.3, 0.2))
    thruster = lv.thruster.replace(body=lv.thruster.body.at[0].set(P), angle=lv.thruster.angle.at[0].set(math.pi / 2),
                                   active=lv.thruster.active.at[0].set(True))
    return lv.replace(shape=shape, polygon_vertices=verts, circle_radius=lv.circle_radius.at[0].set(0.2),
                      thruster=thruster)


def leaves_close(a, b, atol=1e-5) -> bool:
    """Same tree, integer/bool leaves equal, float leaves close."""
    la, lb = jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)
    return len(la) == len(lb) and all(
        np.allclose(np.asarray(x), np.asarray(y), atol=atol) if np.issubdtype(np.asarray(x).dtype, np.floating)
        else np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(la, lb, strict=True))
