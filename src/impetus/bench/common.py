"""Shared benchmark helpers: timing loops, device and memory facts."""

import os
import platform
import resource
import statistics
import time
from typing import NamedTuple

import jax


class Sample(NamedTuple):
    """One timed repetition: ``calls`` calls took ``seconds`` wall and ``cpu_seconds`` of process CPU."""

    calls: int
    seconds: float
    cpu_seconds: float


def process_cpu_seconds() -> float:
    """User + system CPU time of this process (all threads) [s]."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def load_average() -> float:
    """The 1-minute load average (context for timings on a shared machine)."""
    return os.getloadavg()[0]


def device_name() -> str:
    d = jax.devices()[0]
    kind = getattr(d, "device_kind", d.platform)
    return f"{d.platform}:{kind}" if d.platform != "cpu" else f"cpu:{platform.processor() or platform.machine()}"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far [MiB] (Linux ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def time_calls(fn, carry, min_seconds: float, reps: int):
    """Call ``carry = fn(carry)`` repeatedly; each repetition lasts >= ``min_seconds``.

    Returns (carry, list of :class:`Sample` per repetition).
    """
    out = []
    for _ in range(reps):
        calls, start, cpu_start = 0, time.perf_counter(), process_cpu_seconds()
        while True:
            carry = fn(carry)
            calls += 1
            if calls % 2 == 0 or min_seconds <= 0:
                jax.block_until_ready(carry)
                if time.perf_counter() - start >= min_seconds:
                    break
        jax.block_until_ready(carry)
        out.append(Sample(calls, time.perf_counter() - start, process_cpu_seconds() - cpu_start))
    return carry, out


def median_rate(samples, items_per_call: int) -> tuple[float, float]:
    """(median items/s, spread (max - min) / median) over repetitions."""
    rates = [items_per_call * s.calls / s.seconds for s in samples]
    med = statistics.median(rates)
    return med, (max(rates) - min(rates)) / med if med else 0.0


def cpu_rate(samples, items_per_call: int) -> float:
    """Items per second of process CPU time over all repetitions: on a shared machine this moves
    less with other load than the wall-clock rate (compare like with like: same core count)."""
    cpu = sum(s.cpu_seconds for s in samples)
    return items_per_call * sum(s.calls for s in samples) / cpu if cpu > 0 else float("nan")


def shard_batch(tree, num_devices: int, batch: int):
    """Split the leaves with a leading ``batch`` axis over the first ``num_devices`` devices and
    replicate the rest (the level pool of ``AutoResetRandomWrapper`` holds batch-level scalars);
    1: unchanged.  A batch that does not divide evenly is a one-line ``ValueError``."""
    if batch % num_devices:
        raise ValueError(f"batch {batch} is not divisible by --devices {num_devices}")
    if num_devices <= 1:
        return tree
    from jax.sharding import NamedSharding, PartitionSpec

    from ..agents.parallel import AXIS, device_mesh

    mesh = device_mesh(num_devices)
    spec = lambda x: PartitionSpec(AXIS) if x.ndim and x.shape[0] == batch else PartitionSpec()  # noqa: E731
    return jax.tree_util.tree_map(lambda x: jax.device_put(x, NamedSharding(mesh, spec(x))), tree)
