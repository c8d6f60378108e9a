"""The JAX pixel renderer: known shapes land on the expected pixels, colours follow roles."""

import functools
import math

import jax
import numpy as np
import pytest

from impetus.env.examples import LevelSketch
from impetus.levels import BLUE, GREEN, NEUTRAL, RED, to_sim_state
from impetus.render.pixels import PixelConfig, render_level_scene
from impetus.render.video import VideoError, write_video

from ..env.common import TINY

#: 50 x 50 px over the 5 m world (10 px/m), no strokes: fills only
PLAIN = PixelConfig(width=50, height=50, pixels_per_metre=10.0, line_px=0.0, joint_radius_px=0.0,
                    thruster_px=(0.0, 0.0))
WHITE, GREY, DARK = (255, 255, 255), (160, 160, 160), (80, 80, 80)


@functools.lru_cache(maxsize=8)
def renderer(config: PixelConfig):
    return jax.jit(lambda sim, level: render_level_scene(sim, level, config))


def draw(level, config=PLAIN):
    return np.asarray(renderer(config)(to_sim_state(level), level))


def centres(config=PLAIN):
    """World x (columns) and y (rows, top first) of every pixel centre."""
    s = 1.0 / config.pixels_per_metre
    xs = config.origin[0] + (np.arange(config.width) + 0.5) * s
    ys = config.origin[1] + (config.height - np.arange(config.height) - 0.5) * s
    return np.meshgrid(xs, ys)


def is_colour(image, rgb):
    return np.all(image == np.asarray(rgb, np.uint8), axis=-1)


def scene(*, circle=None, box=None, floor_role=NEUTRAL):
    sk = LevelSketch(TINY)
    sk.set_floor_role(floor_role)
    if box is not None:
        sk.add_box(box["position"], box["half"], role=box.get("role", NEUTRAL), fixed=box.get("fixed", False),
                   rotation=box.get("rotation", 0.0))
    if circle is not None:
        sk.add_circle(circle["position"], circle["radius"], role=circle.get("role", NEUTRAL))
    return sk.build()


def test_circle_covers_exactly_the_pixels_inside():
    image = draw(scene(circle={"position": (2.5, 2.5), "radius": 0.5, "role": GREEN}))
    x, y = centres()
    expected = (x - 2.5) ** 2 + (y - 2.5) ** 2 <= 0.25
    np.testing.assert_array_equal(is_colour(image, (0, 204, 0)), expected)
    assert is_colour(image[~expected & (y > 0.4)], WHITE).all()


@pytest.mark.parametrize("angle", [0.0, math.pi / 6])
def test_box_covers_exactly_the_pixels_inside(angle):
    image = draw(scene(box={"position": (1.5, 2.0), "half": (0.6, 0.3), "role": RED, "rotation": angle}))
    x, y = centres()
    c, s = math.cos(angle), math.sin(angle)
    u, v = c * (x - 1.5) + s * (y - 2.0), -s * (x - 1.5) + c * (y - 2.0)
    expected = (np.abs(u) <= 0.6) & (np.abs(v) <= 0.3)
    np.testing.assert_array_equal(is_colour(image, (255, 102, 102)), expected)


def test_fixed_shapes_are_darker_and_the_floor_is_drawn():
    image = draw(scene(box={"position": (2.5, 2.5), "half": (0.5, 0.5), "role": BLUE, "fixed": True},
                       floor_role=RED))
    x, y = centres()
    assert is_colour(image[(np.abs(x - 2.5) < 0.5) & (np.abs(y - 2.5) < 0.5)], (0, 51, 102)).all()
    assert is_colour(image[y < 0.4], (128, 51, 51)).all()  # a fixed red floor at half brightness
    assert is_colour(draw(scene())[y < 0.4], DARK).all()  # a fixed neutral floor is dark grey


def test_walls_are_hidden_unless_asked():
    shifted = dict(width=20, height=20, pixels_per_metre=10.0, origin=(-1.0, 1.0))
    hidden, shown = draw(scene(), PixelConfig(**shifted)), draw(scene(), PixelConfig(**shifted, hide_walls=False))
    assert is_colour(hidden[:, :10], WHITE).all()  # x < 0: the left wall's place
    assert is_colour(shown[:, :10], DARK).all()


def test_circles_are_drawn_over_polygons_with_a_radius_line():
    level = scene(box={"position": (2.5, 2.5), "half": (1.0, 1.0)}, circle={"position": (2.5, 2.5), "radius": 0.5})
    config = PixelConfig(width=50, height=50, pixels_per_metre=10.0, line_px=1.0)
    image = draw(level, config)
    x, y = centres(config)
    in_circle = (x - 2.5) ** 2 + (y - 2.5) ** 2 <= 0.25
    line = is_colour(image, (0, 0, 0))
    assert line.sum() >= 5 and not (line & ~(in_circle & (np.abs(x - 2.5) < 0.06) & (y > 2.44))).any()  # up at 0 rad
    assert is_colour(image[in_circle & ~line], GREY).all()  # a movable neutral circle on a neutral box
    assert is_colour(image[(np.abs(x - 2.5) < 1.0) & (np.abs(y - 2.5) < 1.0) & ~in_circle], GREY).all()


def test_joints_and_thrusters_take_their_binding_colours():
    sk = LevelSketch(TINY)
    box = sk.add_box((2.5, 2.5), (0.8, 0.4))
    wheel = sk.add_circle((1.5, 2.5), 0.3)
    sk.add_revolute_joint(box, wheel, (-1.0, 0.0), (0.0, 0.0), binding=1)  # magenta dot at (1.5, 2.5)
    sk.add_thruster(box, (0.8, 0.0), 0.0, binding=0)  # yellow nozzle just inside the right edge
    config = PixelConfig(width=50, height=50, pixels_per_metre=10.0, line_px=0.0, joint_radius_px=1.0,
                         thruster_px=(4.0, 2.0))
    image = draw(sk.build(), config)
    assert tuple(image[50 - 25, 15]) == (255, 0, 255)
    nozzle = np.argwhere(is_colour(image, (255, 255, 0)))
    assert len(nozzle) >= 4 and nozzle[:, 1].max() <= 33 and nozzle[:, 1].min() >= 28


def test_outlines_at_full_resolution():
    config = PixelConfig.for_screen((500, 500), 100.0, downscale=1)
    assert config.outline_px == 2.0
    image = draw(scene(circle={"position": (2.5, 2.5), "radius": 0.5, "role": GREEN}), config)
    assert is_colour(image[250, 200:204], (0, 0, 0)).sum() >= 1  # the rim at x = 2.0 m
    assert tuple(image[250, 230]) == (0, 204, 0)


def test_vmap_matches_single_renders():
    levels = [scene(circle={"position": (1.0 + k, 2.0), "radius": 0.4, "role": k + 1}) for k in range(2)]
    stacked = jax.tree_util.tree_map(lambda *xs: np.stack(xs), *levels)
    batch = jax.jit(jax.vmap(lambda lv: render_level_scene(to_sim_state(lv), lv, PLAIN)))(stacked)
    for k, level in enumerate(levels):
        np.testing.assert_array_equal(np.asarray(batch[k]), draw(level))


def test_video_writer(tmp_path):
    frames = [np.full((8, 8, 3), k * 40, np.uint8) for k in range(3)]
    assert write_video(frames, tmp_path / "a.gif") == 3
    import imageio.v3 as iio

    assert iio.imread(tmp_path / "a.gif", index=None).shape[0] == 3
    with pytest.raises(VideoError, match="unsupported"):
        write_video(frames, tmp_path / "a.avi")
    try:
        import imageio_ffmpeg  # noqa: F401
    except ImportError:
        with pytest.raises(VideoError, match="imageio-ffmpeg"):
            write_video(frames, tmp_path / "a.mp4")
