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


def largest_divisor(batch: int, limit: int) -> int:
    """The largest ``d <= limit`` that divides ``batch`` (at least 1)."""
    return max(d for d in range(1, max(limit, 1) + 1) if batch % d == 0)


def usable_cores() -> int:
    """CPU cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def use_host_devices(count: int, strict: bool = True) -> None:
    """Split the CPU into ``count`` XLA devices (call before JAX is first used).

    XLA:CPU runs one program mostly on one thread; sharding a batch over ``count`` host
    devices runs the shards on ``count`` threads.  On a GPU machine this is a no-op.
    If JAX already runs with fewer devices, raise (``strict``) or leave it as it is.
    """
    if count <= 1:
        return
    flag = f"--xla_force_host_platform_device_count={count}"
    if jax_started():
        import jax

        if strict and jax.device_count() < count:
            raise RuntimeError(f"--devices {count}: JAX was initialised first with {jax.device_count()} device(s)")
        return
    os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " " + flag).strip()


def jax_started() -> bool:
    """Whether JAX has created its backends (it reads ``XLA_FLAGS`` then, never again)."""
    import sys

    if "jax" not in sys.modules:
        return False
    try:  # no public API says whether the backends exist yet; if this one moves, assume they do
        from jax._src.xla_bridge import backends_are_initialized
    except ImportError:
        return True
    return backends_are_initialized()
