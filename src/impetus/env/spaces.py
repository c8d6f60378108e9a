"""Tiny JAX-native spaces describing observation and action pytrees (gymnax style).

Each space has ``shape``, ``dtype``, ``sample(key)`` (jittable) and ``contains(x)`` (a
boolean array; jittable).  :class:`Dict` maps names to spaces and describes a dict pytree.
The Gymnasium adapter converts them to ``gymnasium.spaces`` (``env.gym.to_gymnasium``).
"""

from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np


class Box:
    """Arrays of ``shape`` and ``dtype`` with elementwise bounds ``low <= x <= high``.

    Bounds may be infinite (floats) and are broadcast to ``shape``.  Boolean boxes use 0..1.
    """

    def __init__(self, low, high, shape: tuple[int, ...], dtype=jnp.float32):
        self.shape = tuple(shape)
        self.dtype = jnp.dtype(dtype)
        self.low = np.broadcast_to(np.asarray(low, np.float64), self.shape)
        self.high = np.broadcast_to(np.asarray(high, np.float64), self.shape)

    def sample(self, key: jax.Array) -> jax.Array:
        if self.dtype == jnp.bool_:
            return jax.random.bernoulli(key, 0.5, self.shape)
        low = np.where(np.isfinite(self.low), self.low, -1.0)
        high = np.where(np.isfinite(self.high), self.high, 1.0)
        if jnp.issubdtype(self.dtype, jnp.integer):
            return jax.random.randint(key, self.shape, low.astype(np.int64), high.astype(np.int64) + 1, self.dtype)
        return jax.random.uniform(key, self.shape, self.dtype, low, high)

    def contains(self, x) -> jax.Array:
        x = jnp.asarray(x)
        if x.shape != self.shape:
            return jnp.array(False)
        if self.dtype == jnp.bool_:
            return jnp.array(x.dtype == jnp.bool_)
        inside = (x >= self.low) & (x <= self.high)
        return jnp.all(inside & ~jnp.isnan(x) if jnp.issubdtype(x.dtype, jnp.floating) else inside)

    def __repr__(self) -> str:
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"


class Discrete:
    """Integers ``0 .. n-1`` (scalar ``int32``)."""

    def __init__(self, n: int):
        self.n = int(n)
        self.shape: tuple[int, ...] = ()
        self.dtype = jnp.dtype(jnp.int32)

    def sample(self, key: jax.Array) -> jax.Array:
        return jax.random.randint(key, (), 0, self.n, jnp.int32)

    def contains(self, x) -> jax.Array:
        x = jnp.asarray(x)
        return jnp.array(x.shape == () and jnp.issubdtype(x.dtype, jnp.integer)) & (x >= 0) & (x < self.n)

    def __repr__(self) -> str:
        return f"Discrete({self.n})"


class MultiDiscrete:
    """Integer vectors with ``0 <= x[i] < nvec[i]`` (``int32``)."""

    def __init__(self, nvec):
        self.nvec = np.asarray(nvec, np.int32)
        self.shape = self.nvec.shape
        self.dtype = jnp.dtype(jnp.int32)

    def sample(self, key: jax.Array) -> jax.Array:
        return jnp.floor(jax.random.uniform(key, self.shape) * self.nvec).astype(jnp.int32)

    def contains(self, x) -> jax.Array:
        x = jnp.asarray(x)
        if x.shape != self.shape or not jnp.issubdtype(x.dtype, jnp.integer):
            return jnp.array(False)
        return jnp.all((x >= 0) & (x < self.nvec))

    def __repr__(self) -> str:
        return f"MultiDiscrete({self.nvec.tolist()})"


class Dict:
    """A dict of named spaces (describes a dict pytree with the same keys)."""

    def __init__(self, spaces: Mapping[str, Any]):
        self.spaces = dict(spaces)

    def sample(self, key: jax.Array) -> dict:
        keys = jax.random.split(key, len(self.spaces))
        return {name: space.sample(k) for (name, space), k in zip(self.spaces.items(), keys, strict=True)}

    def contains(self, x) -> jax.Array:
        if not isinstance(x, Mapping) or set(x) != set(self.spaces):
            return jnp.array(False)
        return jnp.all(jnp.stack([jnp.asarray(s.contains(x[k])) for k, s in self.spaces.items()]))

    def __getitem__(self, name: str):
        return self.spaces[name]

    def __repr__(self) -> str:
        return f"Dict({self.spaces!r})"


Space = Box | Discrete | MultiDiscrete | Dict
