"""Write frame sequences as GIF or MP4 (host side, imageio).

MP4 needs the ``imageio-ffmpeg`` package; without it :func:`write_video` raises
:class:`VideoError` with a one-line explanation instead of imageio's long traceback.
"""

from collections.abc import Iterable
from pathlib import Path

import numpy as np

FORMATS = (".gif", ".mp4")


class VideoError(RuntimeError):
    """A video cannot be written (unsupported suffix, missing encoder)."""


def write_video(frames: Iterable[np.ndarray], path, fps: int = 30) -> int:
    """Write ``uint8 (H, W, 3)`` frames to ``path`` (``.gif`` or ``.mp4``); returns the frame count."""
    import imageio.v3 as iio

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise VideoError(f"{path}: unsupported video format {suffix or '(none)'}; use .gif or .mp4")
    if suffix == ".mp4":
        try:
            import imageio_ffmpeg  # noqa: F401
        except ImportError:
            raise VideoError("writing .mp4 needs the imageio-ffmpeg package (pip install imageio-ffmpeg); "
                             "or write a .gif") from None
    stack = np.stack([np.asarray(f, np.uint8) for f in frames])
    if suffix == ".gif":
        iio.imwrite(path, stack, duration=1000 / fps, loop=0)
    else:
        h, w = stack.shape[1:3]
        stack = np.pad(stack, ((0, 0), (0, h % 2), (0, w % 2), (0, 0)), mode="edge")  # yuv420p needs even sizes
        iio.imwrite(path, stack, fps=fps)
    return len(stack)
