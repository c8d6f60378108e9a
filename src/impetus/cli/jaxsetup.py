"""Process-wide JAX settings for the command line: the persistent compilation cache."""

import os
from pathlib import Path


def enable_compilation_cache(path: str | None = None) -> Path:
    """Cache compiled XLA programs on disk so later runs skip compilation.

    The directory is ``$IMPETUS_CACHE_DIR`` or ``~/.cache/impetus/jax``.
    """
    import jax

    cache = Path(path or os.environ.get("IMPETUS_CACHE_DIR") or Path.home() / ".cache" / "impetus" / "jax")
    cache.mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_compilation_cache_dir", str(cache))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    return cache
