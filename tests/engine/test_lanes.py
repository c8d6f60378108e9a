"""Lane helpers: the static tiling and the XLA:CPU materialisation hint."""

import jax
import jax.numpy as jnp
import numpy as np

from impetus.engine.lanes import from_tiles, materialise, tile_shape, to_tiles


def test_materialise_is_the_identity_on_finite_values_of_every_dtype():
    x = np.array([0.0, -0.0, 1.5, -3e38, 3e38, 1e-30, 1.2e-38, -2.0 ** -20], np.float32)
    out = np.asarray(jax.jit(materialise)(jnp.asarray(x)))
    assert out.tobytes() == x.tobytes()  # bitwise, signed zero included
    # subnormals flush to zero, as in any XLA:CPU arithmetic
    assert float(jax.jit(materialise)(jnp.float32(7.25e-39))) in (0.0, np.float32(7.25e-39))
    ints = jnp.array([0, 3, -7, 2 ** 23], jnp.int32)
    np.testing.assert_array_equal(np.asarray(jax.jit(materialise)(ints)), np.asarray(ints))
    assert jax.jit(materialise)(ints).dtype == jnp.int32
    flags = jnp.array([True, False, True])
    np.testing.assert_array_equal(np.asarray(jax.jit(materialise)(flags)), [True, False, True])


def test_materialise_keeps_non_finite_values_non_finite():
    out = np.asarray(jax.jit(materialise)(jnp.array([jnp.nan, jnp.inf, -jnp.inf, 1.0])))
    assert not np.isfinite(out[:3]).any() and out[3] == 1.0


def test_tiles_round_trip_any_batch():
    for batch in (1, 7, 300, 1000):
        count, lanes = tile_shape(batch, rows=100)
        x = jnp.arange(batch * 3, dtype=jnp.float32).reshape(batch, 3)
        tiles = to_tiles(x, count, lanes)
        assert tiles.shape == (count, 3, lanes)
        np.testing.assert_array_equal(np.asarray(from_tiles(tiles, batch)), np.asarray(x))
