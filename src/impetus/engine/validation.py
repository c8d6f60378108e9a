"""Adapter that runs the engine-agnostic validation scenes of ``physics-ref`` on Impetus.

``ImpetusAdapter`` implements the adapter interface of ``physics-ref/scenes.py``
(``add_box``, ``add_circle``, ``add_revolute``, ``finalize``, ``step``, ``pose``,
``local_point``, ``world_point``).  Scenes give *effective pairwise* friction and
restitution; the adapter inverts our (Kinetix) mixing rules, friction
``0.4 sqrt(f_a^2 + f_b^2)`` and restitution ``min(e_a, e_b)``, exactly as the Jax2D
reference adapter does.  Gravity is (0, -10) and positions are not clipped.
"""

import math

import jax
import numpy as np

from .builder import SceneBuilder
from .step import step
from .types import SimParams, StaticSimParams

BASE_FRICTION = 0.4


class ImpetusAdapter:
    name = "impetus"

    def __init__(self, substeps: int = 4):
        self.substeps = substeps
        self.shapes: list[tuple[str, dict]] = []
        self.joints: list[tuple[int, int, tuple[float, float]]] = []

    @staticmethod
    def map_mu(mu: float, mode: str) -> float:
        if mode == "ramp_ground":
            return 0.0
        if mode == "ramp_body":
            return mu / BASE_FRICTION
        return mu / (BASE_FRICTION * math.sqrt(2.0))

    @staticmethod
    def map_e(e: float, mode: str) -> float:
        return 1.0 if mode == "restitution_ground" else e

    def add_box(self, x, y, hx, hy, angle=0.0, dynamic=True, density=1.0, mu=0.6, e=0.0, vel=(0.0, 0.0),
                bullet=False, group=0, mu_mode="uniform", is_ground=False):
        self.shapes.append(("box", dict(x=x, y=y, hx=hx, hy=hy, angle=angle, dynamic=dynamic, density=density,
                                        mu=self.map_mu(mu, mu_mode), e=self.map_e(e, mu_mode), vel=vel)))
        return len(self.shapes) - 1

    def add_circle(self, x, y, r, dynamic=True, density=1.0, mu=0.6, e=0.0, vel=(0.0, 0.0), bullet=False, group=0,
                   mu_mode="uniform"):
        self.shapes.append(("circle", dict(x=x, y=y, r=r, angle=0.0, dynamic=dynamic, density=density,
                                           mu=self.map_mu(mu, mu_mode), e=self.map_e(e, mu_mode), vel=vel)))
        return len(self.shapes) - 1

    def add_revolute(self, a, b, anchor):
        self.joints.append((a, b, anchor))

    def finalize(self):
        boxes = [d for k, d in self.shapes if k == "box"]
        n_static = sum(1 for d in boxes if not d["dynamic"])
        n_circles = sum(1 for k, _ in self.shapes if k == "circle")
        self.static = StaticSimParams(num_polygons=len(boxes), num_circles=n_circles, num_joints=len(self.joints),
                                      num_thrusters=0, max_polygon_vertices=4, num_static_polygons=n_static,
                                      num_substeps=self.substeps)
        self.params = SimParams(clip_position=1e4)
        builder = SceneBuilder(self.static, gravity=(0.0, -10.0))
        # static boxes first so they land in the static slots
        def rank(i):
            return (self.shapes[i][0] != "box", self.shapes[i][1]["dynamic"])

        order = sorted(range(len(self.shapes)), key=rank)
        self.handles = [None] * len(self.shapes)
        for i in order:
            kind, d = self.shapes[i]
            common = dict(rotation=d["angle"], velocity=d["vel"], density=d["density"], friction=d["mu"],
                          restitution=d["e"], fixed=not d["dynamic"])
            if kind == "box":
                self.handles[i] = builder.add_box((d["x"], d["y"]), (d["hx"], d["hy"]), **common)
            else:
                self.handles[i] = builder.add_circle((d["x"], d["y"]), d["r"], **common)
        for a, b, p in self.joints:
            builder.add_revolute_joint(self.handles[a], self.handles[b], p)
        self.state = builder.build()
        self.actions = np.zeros(self.static.num_joints + self.static.num_thrusters, np.float32)
        self._step = jax.jit(step)
        self._cache()

    def _cache(self):
        self.pos, self.rot = jax.device_get((self.state.body.position, self.state.body.rotation))

    def step(self):
        self.state = self._step(self.state, self.params, self.actions)
        self._cache()

    def pose(self, h):
        i = self.handles[h].index
        return (float(self.pos[i, 0]), float(self.pos[i, 1]), float(self.rot[i]))

    def local_point(self, h, p):
        x, y, a = self.pose(h)
        c, s = math.cos(a), math.sin(a)
        dx, dy = p[0] - x, p[1] - y
        return (c * dx + s * dy, -s * dx + c * dy)

    def world_point(self, h, p):
        x, y, a = self.pose(h)
        c, s = math.cos(a), math.sin(a)
        return (x + c * p[0] - s * p[1], y + s * p[0] + c * p[1])
