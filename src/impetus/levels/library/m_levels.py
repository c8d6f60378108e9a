"""M library levels (6 polygons of which 2 are free, 3 circles, 2 joints, 2 thrusters).

Conventions as in ``s_levels``; motor bindings 0 and 1 and thruster bindings 0 and 1 are the
first two channels of each kind.
"""

from ...engine.scenes import static_for_size
from ..sketch import LevelSketch


def _sketch(max_timesteps: int = 256) -> LevelSketch:
    return LevelSketch(static_for_size("m"), max_timesteps)
