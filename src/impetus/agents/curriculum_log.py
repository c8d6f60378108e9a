"""Host-side curriculum logging, done whenever a checkpoint is written (``TrainingRun.save``).

* TensorBoard histograms of the buffer's scores, solve rates and shape, joint and thruster
  counts (``curriculum/buffer_*``);
* a picture grid of the ``top_k`` highest-scoring buffer levels (``curriculum/top_levels``) and
  of the first ``top_k`` levels the envs are playing now (``curriculum/current_levels``);
* the top levels as level files, ``<run>/curriculum/top_levels/rank_NN.json`` (open them with
  ``impetus edit`` or evaluate on them with ``impetus eval``), and ``index.json`` with their
  scores, solve rates and shape / joint / thruster counts.

The scalar statistics (score distribution, solve rates, complexity) are logged every period
with the training metrics (``curriculum.Curriculum.period_metrics`` / ``buffer_metrics``).
"""

import functools
import json
import shutil
import warnings
from pathlib import Path

import jax
import numpy as np

from ..levels import Level, LevelError, save_level, to_sim_state
from ..render.pixels import PixelConfig, render_level_scene
from ..ued import complexity, take, top

TOP_K = 8
DOWNSCALE = 4  # 500 px screen -> 125 px pictures


@functools.lru_cache(maxsize=4)
def _renderer(screen_size: tuple[int, int], pixels_per_metre: float):
    config = PixelConfig.for_screen(screen_size, pixels_per_metre, DOWNSCALE)
    return jax.jit(jax.vmap(lambda level: render_level_scene(to_sim_state(level), level, config)))


def level_grid(levels: Level, screen_size=(500, 500), pixels_per_metre: float = 100.0, columns: int = 4,
               gap: int = 4) -> np.ndarray:
    """``uint8 (H, W, 3)``: the stacked ``levels`` drawn in a grid, grey gaps between them."""
    images = np.asarray(_renderer(tuple(screen_size), float(pixels_per_metre))(levels))
    n, h, w, _ = images.shape
    rows = -(-n // columns)
    cols = min(n, columns)
    grid = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap, 3), 128, np.uint8)
    for i, image in enumerate(images):
        r, c = divmod(i, columns)
        grid[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = image
    return grid


def write_top_levels(folder: Path, levels: Level, scores, solve_rates) -> list[Path]:
    """Replace ``folder`` with ``rank_NN.json`` files of ``levels`` and an ``index.json``."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    counts = {k: np.asarray(v) for k, v in complexity(levels).items()}
    index, paths = [], []
    for i in range(len(scores)):
        path = folder / f"rank_{i:02d}.json"
        try:
            save_level(take(levels, i), path)
        except LevelError as err:  # a level the file format rejects is reported, not fatal
            warnings.warn(f"curriculum: top level {i} not written ({str(err).splitlines()[0]})", stacklevel=2)
            continue
        paths.append(path)
        index.append({"file": path.name, "score": _finite(scores[i]), "solve_rate": _finite(solve_rates[i]),
                      **{k: int(v[i]) for k, v in counts.items()}})
    (folder / "index.json").write_text(json.dumps(index, indent=2))
    return paths


def _finite(x) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None


def log_curriculum(curriculum, cur, logger, run_dir, step: int, top_k: int = TOP_K) -> None:
    """Log the curriculum state ``cur`` of ``curriculum`` (module docstring)."""
    static = curriculum.env.static
    size = (static.screen_size, static.pixels_per_metre)
    playing = take(cur.levels, np.arange(min(top_k, curriculum.num_envs)))
    logger.image("curriculum/current_levels", level_grid(playing, *size), step)
    buf = cur.buffer
    if buf is None or int(buf.size) == 0:
        return
    valid = np.asarray(buf.valid)
    logger.histogram("curriculum/buffer_scores", np.asarray(buf.scores)[valid], step)
    logger.histogram("curriculum/buffer_solve_rates", np.asarray(buf.solve_rate)[valid], step)
    counts = complexity(buf.levels)
    for name in ("shapes", "joints", "thrusters"):  # at S size every level has 3 shapes; joints / thrusters vary
        logger.histogram(f"curriculum/buffer_{name}", np.asarray(counts[name])[valid], step)
    best = np.asarray(top(buf, min(top_k, buf.capacity)))
    best = best[valid[best]]
    levels = take(buf.levels, best)
    logger.image("curriculum/top_levels", level_grid(levels, *size), step)
    write_top_levels(Path(run_dir) / "curriculum" / "top_levels", levels, np.asarray(buf.scores)[best],
                     np.asarray(buf.solve_rate)[best])
