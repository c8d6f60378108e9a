"""Test configuration: CPU only, strict promotion, a persistent compile cache for speed."""

import os
from pathlib import Path

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax

jax.config.update("jax_numpy_rank_promotion", "raise")
_cache = Path(os.environ.get("IMPETUS_TEST_CACHE", Path(__file__).resolve().parents[1] / ".jax_cache"))
jax.config.update("jax_compilation_cache_dir", str(_cache))
jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)


def shared_dir() -> Path | None:
    """The ``shared`` reference folder beside the checkout (or ``$IMPETUS_SHARED``)."""
    env = os.environ.get("IMPETUS_SHARED")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "shared"
    return path if path.is_dir() else None
