"""Host-side drawing of one scene with Pillow (debug pictures, demo GIFs).

``draw_scene`` takes an unbatched :class:`SimState` and optional per-body colours.
The world is drawn with y up; ``pixels_per_metre`` sets the scale.
"""

import math

import imageio.v3 as iio
import numpy as np
from PIL import Image, ImageDraw

ROLE_COLOURS = {0: (128, 128, 128), 1: (46, 204, 64), 2: (0, 116, 217), 3: (255, 65, 54)}
BACKGROUND = (245, 245, 240)


def draw_scene(state, size=(400, 400), world=(5.0, 5.0), colours=None, origin=(0.0, 0.0)) -> Image.Image:
    """A picture of ``state`` (one scene).  ``colours``: per global body index RGB tuples."""
    body = {k: np.asarray(getattr(state.body, k)) for k in ("position", "rotation", "active")}
    verts, nverts = np.asarray(state.polygon.vertices), np.asarray(state.polygon.n_vertices)
    radius = np.asarray(state.circle.radius)
    P = verts.shape[0]
    sx, sy = size[0] / world[0], size[1] / world[1]
    to_px = lambda x, y: ((x - origin[0]) * sx, size[1] - (y - origin[1]) * sy)  # noqa: E731
    img = Image.new("RGB", size, BACKGROUND)
    d = ImageDraw.Draw(img)
    for i in range(len(body["active"])):
        if not body["active"][i]:
            continue
        colour = colours[i] if colours is not None else ROLE_COLOURS[0]
        (x, y), a = body["position"][i], body["rotation"][i]
        c, s = math.cos(a), math.sin(a)
        if i < P:
            pts = [to_px(x + c * vx - s * vy, y + s * vx + c * vy) for vx, vy in verts[i, :nverts[i]]]
            d.polygon(pts, fill=colour, outline=(40, 40, 40))
        else:
            r = radius[i - P]
            (px, py) = to_px(x, y)
            d.ellipse([px - r * sx, py - r * sy, px + r * sx, py + r * sy], fill=colour, outline=(40, 40, 40))
            d.line([(px, py), to_px(x + c * r, y + s * r)], fill=(40, 40, 40))
    joint = state.joint
    for j in np.nonzero(np.asarray(joint.active))[0]:
        a = int(joint.body_a[j])
        (x, y), ang = body["position"][a], body["rotation"][a]
        ax, ay = np.asarray(joint.anchor_a[j])
        px, py = to_px(x + math.cos(ang) * ax - math.sin(ang) * ay, y + math.sin(ang) * ax + math.cos(ang) * ay)
        d.ellipse([px - 3, py - 3, px + 3, py + 3], fill=(255, 220, 0), outline=(40, 40, 40))
    return img


def save_gif(frames, path, fps: int = 30) -> None:
    """Write frames (PIL images) as an animated GIF (or MP4 when ``path`` ends with .mp4)."""
    arrays = [np.asarray(f) for f in frames]
    if str(path).endswith(".mp4"):
        iio.imwrite(path, np.stack(arrays), fps=fps)
    else:
        iio.imwrite(path, np.stack(arrays), duration=1000 / fps, loop=0)
