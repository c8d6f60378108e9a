"""XLA:CPU settings Impetus runs best with, applied when ``impetus`` is first imported.

* ``--xla_cpu_use_fusion_emitters=false``: XLA:CPU has two code generators for fused
  elementwise loops, the newer "fusion emitters" (the default in jaxlib 0.10) and the older
  loop emitter.  On Impetus's workloads -- thousands of small fused loops over lanes of
  scenes -- the older one keeps both cores of a 2-core machine busy (single-core speed is the
  same) and compiles faster: engine M/2048 on 2 host devices, 6 interleaved runs each, median
  66k -> 88k scene-steps/s with both flags of this list, compile 13-16 s -> 10-13 s.
* ``--xla_backend_extra_options=xla_cpu_disable_loop_unrolling``: with LLVM's loop unrolling
  the older emitter's results depend on how many scenes are in a batch (rounding-level
  differences); without it a scene computes bitwise the same in a batch of any size, as with
  the default emitters (``tests/engine/test_step.py``).  It costs ~5 % of the gain above.

XLA reads ``XLA_FLAGS`` once, when JAX creates its first backend: this takes effect when
``impetus`` is imported before the first JAX computation of the process (importing ``jax``
first is fine).  A flag already in ``XLA_FLAGS`` wins, and ``IMPETUS_XLA_DEFAULTS=0`` turns
the defaults off.  GPU backends ignore these flags.
"""

import os

CPU_DEFAULTS = ("--xla_cpu_use_fusion_emitters=false",
                "--xla_backend_extra_options=xla_cpu_disable_loop_unrolling")


def apply_cpu_defaults() -> None:
    """Append :data:`CPU_DEFAULTS` to ``XLA_FLAGS`` unless already set there (or turned off)."""
    if os.environ.get("IMPETUS_XLA_DEFAULTS", "1") == "0":
        return
    flags = os.environ.get("XLA_FLAGS", "")
    for flag in CPU_DEFAULTS:
        if flag.split("=")[0] not in flags:
            flags = f"{flags} {flag}".strip()
    os.environ["XLA_FLAGS"] = flags
