"""Run logging: TensorBoard (``tensorboardX``) by default, wandb when asked and installed.

``RunLogger(run_dir, config)`` writes scalars to ``<run_dir>/tb`` and, with ``run.wandb``, to
wandb (``run.wandb_mode`` defaults to ``offline``, so nothing needs a network; a missing wandb
package or a failing ``wandb.init`` is a warning, never an error).  The x-axis is env steps.
"""

import warnings
from pathlib import Path

import numpy as np


class RunLogger:
    """Scalar and video logging for one run (see the module docstring)."""

    def __init__(self, run_dir, config, resume: bool = False):
        from tensorboardX import SummaryWriter

        self.run_dir = Path(run_dir)
        self.tb_dir = self.run_dir / "tb"
        self.writer = SummaryWriter(str(self.tb_dir))
        if not resume:
            self.writer.add_text("config", "```\n" + config.to_json() + "\n```", 0)
        self.wandb = self._start_wandb(config, resume) if config.run.wandb else None

    def _start_wandb(self, config, resume: bool):
        try:
            import wandb
        except ImportError:
            warnings.warn("run.wandb=true but the wandb package is not installed; logging to TensorBoard only",
                          stacklevel=3)
            return None
        try:
            return wandb.init(project=config.run.wandb_project, mode=config.run.wandb_mode, dir=str(self.run_dir),
                              name=self.run_dir.name, id=self.run_dir.name, resume="allow" if resume else None,
                              config=config.to_dict())
        except Exception as err:  # wandb raises many types; never let logging kill training
            warnings.warn(f"wandb.init failed ({err}); logging to TensorBoard only", stacklevel=3)
            return None

    def scalars(self, values: dict[str, float], step: int) -> None:
        """Log ``{name: value}`` at env step ``step`` (non-finite values are skipped)."""
        clean = {k: float(v) for k, v in values.items() if np.isfinite(v)}
        for name, value in clean.items():
            self.writer.add_scalar(name, value, step)
        if self.wandb is not None:
            self.wandb.log({**clean, "env_steps": step}, step=step)

    def video(self, name: str, frames: np.ndarray, step: int, fps: int = 15) -> None:
        """Log ``uint8 (T, H, W, 3)`` frames: the last frame to TensorBoard, the video to wandb."""
        self.writer.add_image(name, frames[-1], step, dataformats="HWC")
        if self.wandb is not None:
            import wandb

            self.wandb.log({name: wandb.Video(frames.transpose(0, 3, 1, 2), fps=fps)}, step=step)

    def histogram(self, name: str, values: np.ndarray, step: int) -> None:
        """Log the distribution of ``values`` (finite ones; nothing if there are none)."""
        values = np.asarray(values, np.float64)
        values = values[np.isfinite(values)]
        if values.size:
            self.writer.add_histogram(name, values, step)
            if self.wandb is not None:
                import wandb

                self.wandb.log({name: wandb.Histogram(values)}, step=step)

    def image(self, name: str, image: np.ndarray, step: int) -> None:
        """Log one ``uint8 (H, W, 3)`` image."""
        self.writer.add_image(name, image, step, dataformats="HWC")
        if self.wandb is not None:
            import wandb

            self.wandb.log({name: wandb.Image(image)}, step=step)

    def close(self) -> None:
        self.writer.close()
        if self.wandb is not None:
            self.wandb.finish()
