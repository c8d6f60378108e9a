"""A pure-JAX pixel renderer (jittable, vmappable): scenes to ``uint8`` RGB images.

Every pixel centre is tested against every layer with fixed-shape arithmetic (no patches, no
scatters): a convex polygon is the intersection of its edges' half-planes, a circle a squared
distance test.  Rendering has two stages:

1. per-layer *parameters* (edge normals and offsets, circle centres and radii, anchor points,
   colours) are computed from the scene as small arrays, so no trigonometry or division is
   repeated per pixel;
2. one fused pass over the pixels paints them with a chain of ``where`` selects on a packed
   ``uint32`` colour (multiply, add, compare and select only; vectorised over image columns),
   whose bytes become the RGB channels.

The cost is ``H * W * layers`` and independent of shape sizes; the image is rendered directly at
the requested resolution (125 x 125 for Kinetix's 500 px screen at downscale 4).

Draw order and colours follow Kinetix (reference section 8.1): background white; shapes in
global order (polygons, then circles) filled by role (grey, green, blue, red); fixed shapes
(infinite mass) dark grey, or their role colour at half brightness; optional black outlines;
a black radius line on circles (straight up at rotation 0); joints as dots (white, or the
motor binding's colour for motorised revolute joints); thrusters as small nozzles behind their
anchor, coloured by binding.  Deliberate differences: the image is in display order
(``[row, column]``, row 0 at the top; Kinetix stores ``[x, y]`` with y up) and ``uint8``.
"""

import dataclasses

import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, Int, UInt8

from ..engine import SimState

BACKGROUND = (255, 255, 255)
ROLE_COLOURS = ((160, 160, 160), (0, 204, 0), (0, 102, 204), (255, 102, 102))  # neutral, green, blue, red
FIXED_NEUTRAL = (80, 80, 80)
#: joint / thruster colours by binding + 1 (index 0: joints without a motor)
BINDING_COLOURS = ((255, 255, 255), (255, 255, 0), (255, 0, 255), (0, 255, 255), (255, 153, 51))
OUTLINE = (0, 0, 0)
_FAR = 1e9  # offset of a half-plane that excludes (or, negated, admits) everything [m]


@dataclasses.dataclass(frozen=True)
class PixelConfig:
    """Output geometry and stroke sizes (hashable; a change recompiles).

    Attributes:
        width, height: image size [px].
        pixels_per_metre: scale of the image [px/m].
        origin: world point at the image's bottom-left corner [m].
        outline_px: black shape outlines [px] (Kinetix: 2 at full resolution, 0 at downscale 4).
        line_px: width of the circle radius line [px].
        joint_radius_px: joint dot radius [px].
        thruster_px: (length, width) of a thruster nozzle [px].
        hide_walls: skip static polygon slots ``1 .. num_static_polygons - 1`` (the Kinetix walls and
            ceiling, outside the visible world; Kinetix does not draw them either).
    """

    width: int = 125
    height: int = 125
    pixels_per_metre: float = 25.0
    origin: tuple[float, float] = (0.0, 0.0)
    outline_px: float = 0.0
    line_px: float = 1.0
    joint_radius_px: float = 0.75
    thruster_px: tuple[float, float] = (4.0, 2.0)
    hide_walls: bool = True

    @classmethod
    def for_screen(cls, screen_size=(500, 500), pixels_per_metre: float = 100.0, downscale: int = 4) -> "PixelConfig":
        """Kinetix geometry: a ``screen_size`` screen at ``pixels_per_metre``, rendered at 1/``downscale``."""
        ds = float(downscale)
        return cls(width=screen_size[0] // downscale, height=screen_size[1] // downscale,
                   pixels_per_metre=pixels_per_metre / ds, outline_px=2.0 / ds if ds < 4 else 0.0,
                   line_px=max(1.0, 2.0 / ds), joint_radius_px=max(0.75, 3.0 / ds),
                   thruster_px=(max(3.0, 16.0 / ds), max(1.5, 8.0 / ds)))


def pixel_centres(config: PixelConfig) -> tuple[Float[Array, "1 w"], Float[Array, "h 1"]]:
    """World x of every column ``(1, W)`` and world y of every row ``(H, 1)`` (row 0 at the top) [m]."""
    s = 1.0 / config.pixels_per_metre
    xs = config.origin[0] + (jnp.arange(config.width, dtype=jnp.float32) + 0.5) * s
    ys = config.origin[1] + (config.height - jnp.arange(config.height, dtype=jnp.float32) - 0.5) * s
    return xs[None, :], ys[:, None]


def _rotate(angle, v):
    c, s = jnp.cos(angle), jnp.sin(angle)
    return jnp.stack([c * v[..., 0] - s * v[..., 1], s * v[..., 0] + c * v[..., 1]], axis=-1)


def polygon_half_planes(sim: SimState) -> tuple[Float[Array, "p v"], Float[Array, "p v"], Float[Array, "p v"]]:
    """Outward unit normals ``(nx, ny)`` and offsets ``c`` of every polygon edge: a point is inside
    when ``nx x + ny y - c <= 0`` for every edge.  Unused edges never exclude; inactive or
    degenerate polygons contain nothing."""
    verts, n = sim.polygon.vertices, sim.polygon.n_vertices
    P, V = verts.shape[:2]
    world = sim.body.position[:P, None, :] + _rotate(sim.body.rotation[:P, None], verts)  # (P, V, 2)
    idx = jnp.arange(V)[None, :]
    nxt = jnp.where((idx + 1 >= n[:, None])[..., None], world[:, :1], jnp.roll(world, -1, axis=1))
    edge = nxt - world
    length = jnp.sqrt(jnp.sum(edge * edge, axis=-1))
    ok = (idx < n[:, None]) & (length > 1e-9)
    inv = 1.0 / jnp.where(ok, length, 1.0)
    nx, ny = jnp.where(ok, edge[..., 1] * inv, 0.0), jnp.where(ok, -edge[..., 0] * inv, 0.0)
    offset = jnp.where(ok, nx * world[..., 0] + ny * world[..., 1], _FAR)
    drawn = sim.body.active[:P] & (n >= 3)
    return nx, ny, jnp.where(drawn[:, None], offset, -_FAR)


def shape_colours(sim: SimState, roles: Int[Array, " n"]) -> Float[Array, "n 3"]:
    """Fill colour of every shape: its role colour, darker when fixed."""
    role_rgb = jnp.asarray(ROLE_COLOURS, jnp.float32)[jnp.clip(roles, 0, 3)]
    fixed = sim.body.inverse_mass <= 0
    dark = jnp.where((roles == 0)[:, None], jnp.asarray(FIXED_NEUTRAL, jnp.float32), 0.5 * role_rgb)
    return jnp.where(fixed[:, None], dark, role_rgb)


def layer_parameters(sim: SimState, roles, joint_binding, thruster_binding, config: PixelConfig) -> dict:
    """Every per-layer quantity the pixel pass needs (small arrays; stage 1 of the module docstring)."""
    P = sim.polygon.vertices.shape[0]
    body, joint, thr = sim.body, sim.joint, sim.thruster
    palette = jnp.asarray(BINDING_COLOURS, jnp.float32)
    top_binding = len(BINDING_COLOURS) - 2
    half_len = 0.5 * config.thruster_px[0] / config.pixels_per_metre
    radius = sim.circle.radius
    up = jnp.stack([-jnp.sin(body.rotation[P:]), jnp.cos(body.rotation[P:])], axis=-1)
    thrust_angle = body.rotation[thr.body] + thr.angle
    thrust_dir = jnp.stack([jnp.cos(thrust_angle), jnp.sin(thrust_angle)], axis=-1)
    thrust_anchor = body.position[thr.body] + _rotate(body.rotation[thr.body], thr.anchor)
    motorised = joint.motor_on & ~joint.is_fixed
    return {
        "half_planes": polygon_half_planes(sim),
        "circle_centre": body.position[P:], "circle_radius": radius, "circle_active": body.active[P:],
        "circle_up": up,
        "joint_anchor": body.position[joint.body_a] + _rotate(body.rotation[joint.body_a], joint.anchor_a),
        "joint_active": joint.active,
        "thruster_centre": thrust_anchor - half_len * thrust_dir, "thruster_dir": thrust_dir,
        "thruster_active": thr.active & body.active[thr.body],
        "shape_colour": shape_colours(sim, roles),
        "joint_colour": palette[jnp.where(motorised, jnp.clip(joint_binding, 0, top_binding) + 1, 0)],
        "thruster_colour": palette[jnp.clip(thruster_binding, 0, top_binding) + 1],
    }


def drawn_polygons(static, config: PixelConfig) -> list[int]:
    """Polygon slots that are drawn (all, or all but the walls and ceiling)."""
    hidden = range(1, static.num_static_polygons) if config.hide_walls else ()
    return [k for k in range(static.num_polygons) if k not in hidden]


def _shape_masks(lp: dict, polygons: list[int], config: PixelConfig, xs, ys) -> list:
    """(mask, colour) of every shape layer in draw order, with outlines and radius lines."""
    nx, ny, offset = lp["half_planes"]
    P, V = nx.shape
    ppm = config.pixels_per_metre
    outline = config.outline_px / ppm
    black = jnp.asarray(OUTLINE, jnp.float32)
    layers = []
    for k in polygons:
        d = nx[k, 0] * xs + ny[k, 0] * ys - offset[k, 0]
        for v in range(1, V):
            d = jnp.maximum(d, nx[k, v] * xs + ny[k, v] * ys - offset[k, v])
        inside = d <= 0.0
        layers.append((inside, lp["shape_colour"][k]))
        if config.outline_px > 0:
            layers.append((inside & (d > -outline), black))
    half_line2 = (0.5 * config.line_px / ppm) ** 2
    for k in range(lp["circle_radius"].shape[0]):
        (cx, cy), r = lp["circle_centre"][k], lp["circle_radius"][k]
        dx, dy = xs - cx, ys - cy
        d2 = dx * dx + dy * dy
        inside = lp["circle_active"][k] & (d2 <= r * r)
        layers.append((inside, lp["shape_colour"][P + k]))
        if config.outline_px > 0:
            inner = jnp.maximum(r - outline, 0.0)
            layers.append((inside & (d2 > inner * inner), black))
        ux, uy = lp["circle_up"][k, 0], lp["circle_up"][k, 1]
        t = jnp.clip(dx * ux + dy * uy, 0.0, r)
        ex, ey = dx - t * ux, dy - t * uy
        layers.append((inside & (ex * ex + ey * ey <= half_line2), black))
    return layers


def _marker_masks(lp: dict, config: PixelConfig, xs, ys) -> list:
    """(mask, colour) of the joint dots and thruster nozzles."""
    ppm = config.pixels_per_metre
    r2 = (config.joint_radius_px / ppm) ** 2
    half_len, half_wid = 0.5 * config.thruster_px[0] / ppm, 0.5 * config.thruster_px[1] / ppm
    layers = []
    for i in range(lp["joint_active"].shape[0]):
        ax, ay = lp["joint_anchor"][i, 0], lp["joint_anchor"][i, 1]
        mask = lp["joint_active"][i] & ((xs - ax) ** 2 + (ys - ay) ** 2 <= r2)
        layers.append((mask, lp["joint_colour"][i]))
    for i in range(lp["thruster_active"].shape[0]):
        (cx, cy), (ux, uy) = lp["thruster_centre"][i], lp["thruster_dir"][i]
        along = (xs - cx) * ux + (ys - cy) * uy
        across = (ys - cy) * ux - (xs - cx) * uy
        mask = lp["thruster_active"][i] & (jnp.abs(along) <= half_len) & (jnp.abs(across) <= half_wid)
        layers.append((mask, lp["thruster_colour"][i]))
    return layers


def _pack(rgb: Float[Array, " 3"]) -> Array:
    """An RGB colour (0..255) as one ``uint32`` whose little-endian bytes are r, g, b, 0."""
    c = jnp.round(jnp.clip(rgb, 0.0, 255.0)).astype(jnp.uint32)
    return c[0] | (c[1] << 8) | (c[2] << 16)


def compose(layers: list, shape: tuple[int, int]) -> UInt8[Array, "h w 3"]:
    """Paint ``layers`` (mask, RGB) over a white background, later layers on top.

    The chain of selects runs on one packed ``uint32`` colour per pixel (a vectorised loop over
    image columns), and the bytes are reinterpreted as channels at the end; a gather or a
    trailing channel axis inside the loop would make XLA:CPU emit a scalar loop instead.
    """
    img = jnp.full(shape, _pack(jnp.asarray(BACKGROUND, jnp.float32)), jnp.uint32)
    for mask, colour in layers:
        img = jnp.where(mask, _pack(colour), img)
    return jax.lax.bitcast_convert_type(img, jnp.uint8)[..., :3]


def render_pixels(sim: SimState, roles: Int[Array, " n"], joint_binding: Int[Array, " j"],
                  thruster_binding: Int[Array, " t"], config: PixelConfig = PixelConfig()) -> UInt8[Array, "h w 3"]:
    """An RGB image ``(config.height, config.width, 3)`` of one scene (vmap for a batch).

    Args:
        sim: the scene.
        roles: per global shape index: 0 neutral, 1 green, 2 blue, 3 red.
        joint_binding: motor binding of every joint slot (colours motorised joints).
        thruster_binding: binding of every thruster slot.
        config: output geometry.
    """
    lp = layer_parameters(sim, roles, joint_binding, thruster_binding, config)
    xs, ys = pixel_centres(config)
    polygons = drawn_polygons(sim.static, config)
    layers = _shape_masks(lp, polygons, config, xs, ys) + _marker_masks(lp, config, xs, ys)
    return compose(layers, (config.height, config.width))


def render_level_scene(sim: SimState, level, config: PixelConfig = PixelConfig()) -> UInt8[Array, "h w 3"]:
    """:func:`render_pixels` with roles and bindings taken from a ``levels.Level``."""
    return render_pixels(sim, level.shape.role, level.joint.motor_binding, level.thruster.binding, config)
