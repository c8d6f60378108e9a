"""The training run: the host loop around the jitted PPO update, with logs, evals, checkpoints.

``TrainingRun(config, run_dir)`` sets everything up (writes ``config.json``); ``run(callback)``
calls ``update_step`` (``run.log_every`` PPO updates per call) until ``config.num_updates`` is
reached (rounded up to whole calls), and between calls logs metrics (TensorBoard, and one JSON
line per call in ``metrics.jsonl``), evaluates every ``run.eval_every`` updates (``eval/*.json``,
GIFs in ``gifs/``) and checkpoints every ``run.checkpoint_every`` updates.  A
``KeyboardInterrupt`` saves a checkpoint of the last finished call and ends the run cleanly
(``summary["status"] == "interrupted"``).  ``TrainingRun.resume(run_dir)`` continues a run
from its latest checkpoint bit for bit.
"""

import json
import math
import time
from pathlib import Path

import jax
import numpy as np

from . import checkpoint
from .config import TrainConfig
from .envs import env_params
from .evaluate import Evaluator, record_episode
from .levelsets import load_level_set
from .logging import RunLogger
from .networks import param_count
from .train import make_config_static, make_train


def default_run_name(config: TrainConfig) -> str:
    return f"{config.network.network}-{config.env.size}-{time.strftime('%Y%m%d-%H%M%S')}"


def _mean(v: np.ndarray) -> float:
    """Mean of the finite entries (NaN marks updates a metric does not apply to); NaN if none."""
    finite = np.isfinite(v)
    return float(v[finite].mean()) if finite.any() else float("nan")


def chunk_metrics(metrics: dict) -> dict:
    """Host means over one call's updates; episode stats weighted by finished episodes."""
    m = {k: np.asarray(v) for k, v in metrics.items()}
    episodes = float(m.pop("episodes").sum())
    out = {k: _mean(v) for k, v in m.items() if not k.startswith("episode_")}
    out["train/episodes"] = episodes
    for name in ("return", "length", "solved"):
        total = float(m[f"episode_{name}_sum"].sum())
        out[f"train/episode_{name}"] = total / episodes if episodes else float("nan")
    return out


class TrainingRun:
    """One training run in ``run_dir`` (module docstring)."""

    def __init__(self, config: TrainConfig, run_dir, train_levels=None, state=None, wall_s: float = 0.0):
        self._clock = time.perf_counter() - wall_s  # wall_s counts everything: compile, eval, checkpoints
        self.config = config
        self.run_dir = Path(run_dir)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.train = make_train(config, train_levels)
        self.state = state if state is not None else self.train.init(jax.random.key(config.run.seed))
        self.resumed = state is not None
        (self.run_dir / "config.json").write_text(config.to_json())
        self.eval_set = load_level_set(config.run.eval_levels, make_config_static(config)) \
            if config.run.eval_every else None
        self.evaluator = None if self.eval_set is None else Evaluator(
            self.train.env.core, env_params(config), self.train.network.apply, self.train.dist, self.eval_set,
            config.run.eval_attempts)
        self.logger = RunLogger(self.run_dir, config, resume=self.resumed)
        self.num_calls = math.ceil(config.num_updates / config.run.log_every)
        self.last_eval: dict | None = None

    @classmethod
    def resume(cls, run_dir, train_levels=None) -> "TrainingRun":
        """Continue the run in ``run_dir`` from its latest checkpoint."""
        tensors, meta = checkpoint.read(run_dir)
        config = checkpoint.config_of(meta, str(run_dir))
        template = make_train(config, train_levels).init(jax.random.key(config.run.seed))
        state = checkpoint.restore(template, tensors, str(run_dir))
        return cls(config, run_dir, train_levels, state, float(meta.get("wall_s", 0.0)))

    def init_from(self, path) -> None:
        """Start from the parameters of another checkpoint (fresh optimiser and envs)."""
        tensors, _ = checkpoint.read(path)
        params = checkpoint.restore_params(self.state.params, tensors, str(path))
        self.state = self.train.with_params(self.state, params)

    @property
    def wall_s(self) -> float:
        return time.perf_counter() - self._clock

    @property
    def update(self) -> int:
        return int(self.state.update)

    @property
    def env_steps(self) -> int:
        return self.update * self.config.batch_size

    @property
    def total_updates(self) -> int:
        return self.num_calls * self.config.run.log_every

    @property
    def param_count(self) -> int:
        return param_count(self.state.params)

    def save(self) -> Path:
        path = checkpoint.checkpoint_dir(self.run_dir, self.update)
        if self.train.curriculum is not None:  # buffer histograms, top-level pictures and files
            from .curriculum_log import log_curriculum

            log_curriculum(self.train.curriculum, self.state.curriculum, self.logger, self.run_dir, self.env_steps)
        return checkpoint.save(path, self.state, self.config, {"wall_s": self.wall_s})

    def evaluate(self, gifs: bool = False) -> dict:
        """Evaluate the current parameters on the eval set; log and write ``eval/update_N.json``."""
        key = jax.random.fold_in(jax.random.key(self.config.run.seed + 1), self.update)
        modes = ("stochastic", "deterministic") if self.config.run.eval_deterministic else ("stochastic",)
        params = self._params_on_one_device()
        results = {mode: self.evaluator(params, key, mode).summarize() for mode in modes}
        for mode, summary in results.items():
            scalars = {f"eval_{mode}/{k}": v for k, v in summary["overall"].items()}
            for level, stats in summary["levels"].items():
                scalars.update({f"eval_{mode}_{k}/{level}": v for k, v in stats.items()})
            for group, stats in summary["groups"].items():
                scalars.update({f"eval_{mode}_group_{k}/{group}": v for k, v in stats.items()})
            self.logger.scalars(scalars, self.env_steps)
        record = {"update": self.update, "env_steps": self.env_steps, "wall_s": self.wall_s, **results}
        (self.run_dir / "eval").mkdir(exist_ok=True)
        (self.run_dir / "eval" / f"update_{self.update:08d}.json").write_text(json.dumps(record, indent=2))
        if gifs:
            self.write_gifs()
        self.last_eval = record
        return record

    def _params_on_one_device(self):
        """The parameters on the first device: with ``run.devices > 1`` they are replicated over all,
        and evaluation would otherwise run once per device."""
        return jax.device_put(self.state.params, jax.devices()[0])

    def write_gifs(self) -> list[Path]:
        """One GIF (deterministic policy) for each of the first ``run.num_gifs`` eval levels."""
        from ..render.video import write_video

        out = []
        train, levels = self.train, self.eval_set
        for i, name in enumerate(levels.names[:self.config.run.num_gifs]):
            level = jax.tree_util.tree_map(lambda x, i=i: x[i], levels.levels)
            frames = record_episode(train.env.core, env_params(self.config), train.network.apply, train.dist,
                                    self._params_on_one_device(), level, jax.random.key(self.update))
            path = self.run_dir / "gifs" / f"{name.replace('/', '_')}_update_{self.update:08d}.gif"
            path.parent.mkdir(exist_ok=True)
            write_video(frames, path, fps=15)
            self.logger.video(f"video/{name}", frames, self.env_steps)
            out.append(path)
        return out

    def _due(self, every: int, before: int) -> bool:
        return every > 0 and self.update // every > before // every

    def _log_chunk(self, metrics: dict, seconds: float, compiled: bool) -> dict:
        values = chunk_metrics(metrics)
        steps = self.config.run.log_every * self.config.batch_size
        values["timing/steps_per_s"] = steps / seconds if compiled else float("nan")
        values["timing/call_s"] = seconds
        self.logger.scalars(values, self.env_steps)
        line = {"update": self.update, "env_steps": self.env_steps, "wall_s": round(self.wall_s, 3), **values}
        with open(self.run_dir / "metrics.jsonl", "a") as f:
            f.write(json.dumps({k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                                for k, v in line.items()}) + "\n")
        return values

    def _step(self, first: bool) -> dict:
        before = self.update
        start = time.perf_counter()
        state, metrics = self.train.update_step(self.state)
        jax.block_until_ready(state)
        seconds = time.perf_counter() - start
        self.state = state
        values = self._log_chunk(metrics, seconds, compiled=not first)
        run = self.config.run
        if self.evaluator is not None and self._due(run.eval_every, before):
            count = self.update // run.eval_every
            self.evaluate(gifs=run.gif_every > 0 and count % run.gif_every == 0)
        if self._due(run.checkpoint_every, before):
            self.save()
        return values

    def run(self, callback=None) -> dict:
        """Train to the end (or a Ctrl-C); ``callback(run, values)`` after every call."""
        status = "finished"
        try:
            if self.evaluator is not None and not self.resumed:
                self.evaluate(gifs=self.config.run.gif_every > 0)
            first = True
            while self.update < self.total_updates:
                values = self._step(first)
                first = False
                if callback is not None:
                    callback(self, values)
        except KeyboardInterrupt:
            status = "interrupted"
        path = self.save()
        if status == "finished" and self.evaluator is not None and (self.last_eval or {}).get("update") != self.update:
            self.evaluate(gifs=self.config.run.gif_every > 0)
        self.logger.close()
        summary = {"status": status, "run_dir": str(self.run_dir), "checkpoint": str(path), "update": self.update,
                   "env_steps": self.env_steps, "wall_s": self.wall_s, "param_count": self.param_count,
                   "eval": self.last_eval}
        (self.run_dir / "summary.json").write_text(json.dumps(summary, indent=2))
        return summary
