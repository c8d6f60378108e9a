"""``impetus demo``: simulate a batch of random scenes and write a GIF of one of them."""

import time
from pathlib import Path

from .args import positive, size


def register(sub) -> None:
    demo = sub.add_parser("demo", help="simulate a batch of random scenes and write a GIF of one")
    demo.add_argument("--size", type=size, default="m")
    demo.add_argument("--batch", type=positive, default=256)
    demo.add_argument("--steps", type=positive, default=240)
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument("-o", "--out", type=Path, default=Path("out/demo.gif"))
    demo.set_defaults(func=_main)


def _main(args, console) -> int:
    from .jaxsetup import enable_compilation_cache

    enable_compilation_cache()
    run(args.size, args.batch, args.steps, args.out, args.seed, console)
    return 0


def run(size: str, batch: int, steps: int, out: Path, seed: int, console) -> None:
    import jax
    import jax.numpy as jnp
    import numpy as np

    from ..bench.engine import stacked_random_scenes
    from ..engine import SimParams, step
    from ..engine.scenes import static_for_size
    from ..render.draw import draw_scene, save_gif

    static = static_for_size(size)
    states = stacked_random_scenes(size, batch, seed)
    J, T = static.num_joints, static.num_thrusters
    params = SimParams()

    @jax.jit
    def advance(states, key):
        def body(s, k):
            km, kt = jax.random.split(k)
            actions = jnp.concatenate([jax.random.uniform(km, (batch, J), minval=-1, maxval=1),
                                       jax.random.uniform(kt, (batch, T))], axis=1)
            s = jax.vmap(step, in_axes=(0, None, 0))(s, params, actions)
            return s, jax.tree_util.tree_map(lambda x: x[0], s)  # keep scene 0 for the movie
        return jax.lax.scan(body, states, jax.random.split(key, steps))

    console.print(f"simulating {batch} random {size.upper()} scenes for {steps} steps ...")
    t0 = time.perf_counter()
    states, frames = advance(states, jax.random.key(seed))
    jax.block_until_ready(states)
    elapsed = time.perf_counter() - t0
    console.print(f"done in {elapsed:.1f} s (compile included): {batch * steps / elapsed:,.0f} scene-steps/s")
    P = static.num_polygons
    rng = np.random.default_rng(seed)
    palette = [(128, 128, 128)] * 4 + [tuple(int(c) for c in rng.integers(60, 230, 3)) for _ in range(32)]
    colours = palette[:P] + palette[4:4 + static.num_circles]
    images = [draw_scene(jax.tree_util.tree_map(lambda x, i=i: x[i], frames), colours=colours)
              for i in range(0, steps, 2)]
    out.parent.mkdir(parents=True, exist_ok=True)
    save_gif(images, out, fps=30)
    console.print(f"wrote {out} ({len(images)} frames)")
