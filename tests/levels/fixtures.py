"""Level fixtures built in code, shared by the level-format tests (no files copied into the repo)."""

import copy
import functools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from impetus.engine import SimParams, step

from ..conftest import shared_dir

# --------------------------------------------------------------------------------------- Kinetix samples
SHARED = shared_dir()
KINETIX_DIR = SHARED / "kinetix-levels" if SHARED else None
SAMPLES = sorted(KINETIX_DIR.glob("*.json")) if KINETIX_DIR and KINETIX_DIR.is_dir() else []


def sample_params():
    """pytest params over the Kinetix sample files (one skipped param if there are none)."""
    if not SAMPLES:
        return [pytest.param(None, marks=pytest.mark.skip(reason="shared/kinetix-levels not found"))]
    return [pytest.param(p, id=p.stem) for p in SAMPLES]


# --------------------------------------------------------------------------------------- comparisons
def level_equal(a, b) -> bool:
    """Same capacities and bitwise-equal arrays."""
    if a.static != b.static:
        return False
    la, lb = jax.tree_util.tree_leaves(a), jax.tree_util.tree_leaves(b)
    return len(la) == len(lb) and all(np.array_equal(np.asarray(x), np.asarray(y)) for x, y in zip(la, lb, strict=True))


@functools.cache
def _runner(static):
    J, T = static.num_joints, static.num_thrusters

    @jax.jit
    def run(state, n, actions):
        return jax.lax.fori_loop(0, n, lambda i, s: step(s, SimParams(), actions), state)

    return run, J + T


def simulate(state, steps: int, actions=None):
    """``state`` after ``steps`` engine steps with constant ``actions`` (zeros by default); one
    compilation per capacity for the whole test session."""
    run, size = _runner(state.static)
    actions = jnp.zeros(size) if actions is None else jnp.asarray(actions, jnp.float32)
    return run(state, jnp.int32(steps), actions)


# --------------------------------------------------------------------------------------- our format
def walls() -> list[dict]:
    """The Kinetix floor, walls and ceiling (slots p0..p3) as Impetus shapes."""
    box = [[-2.5, -5.2], [2.5, -5.2], [2.5, 5.2], [-2.5, 5.2]]
    common = {"fixed": True, "collision_mode": 2}
    return [{"id": "p0", "position": [2.5, -4.8], "vertices": box, **common},
            {"id": "p1", "position": [0.0, 0.0], "vertices": [[-5, 0], [0, 0], [0, 5], [-5, 5]], **common},
            {"id": "p2", "position": [0.0, 0.0], "vertices": [[5, 0], [10, 0], [10, 5], [5, 5]], **common},
            {"id": "p3", "position": [2.5, 10.2], "vertices": box, **common}]


def car_doc() -> dict:
    """An M-sized Impetus document using every feature: an off-centre box frame, a triangle, a fixed
    (zero-mass) shape, circles in joints, a revolute joint with motor and limits, a fixed joint,
    two thrusters, non-default bindings, every role, a velocity, non-default gravity/length."""
    return copy.deepcopy({
        "schema_version": 1, "physics_version": 1, "size": "m", "gravity": [0.0, -8.5], "max_timesteps": 300,
        "shapes": [
            *walls(),
            {"id": "p4", "position": [1.0, 0.8], "rotation": 0.1, "role": "neutral",
             "vertices": [[0.0, 0.0], [1.0, 0.0], [1.0, 0.2], [0.0, 0.2]], "density": 1.5, "friction": 0.8,
             "restitution": 0.1, "velocity": [0.5, 0.0], "angular_velocity": 0.25},
            {"id": "p5", "position": [1.5, 1.2], "role": "red", "vertices": [[-0.2, -0.1], [0.2, -0.1], [0.0, 0.25]],
             "collision_mode": 0},
            {"id": "c0", "position": [1.2, 0.7], "radius": 0.2, "role": "green"},
            {"id": "c1", "position": [1.8, 0.7], "radius": 0.2, "role": "neutral"},
            {"id": "c2", "position": [4.0, 2.0], "radius": 0.3, "role": "blue", "fixed": True,
             "collision_mode": 2}],
        "joints": [
            {"a": "p4", "b": "c0", "type": "revolute", "anchor_a": [0.2, -0.1], "anchor_b": [0.0, 0.0],
             "reference_angle": 0.05, "motor": {"on": True, "speed": 2.0, "power": 1.5, "binding": 3, "auto": True},
             "limits": [-0.5, 0.75]},
            {"a": "p4", "b": "p5", "type": "fixed", "anchor_a": [0.5, 0.2], "anchor_b": [0.0, -0.1]}],
        "thrusters": [
            {"shape": "p4", "anchor": [0.5, 0.0], "angle": math.pi / 2, "power": 0.75, "binding": 1},
            {"shape": "c1", "anchor": [0.0, 0.1], "angle": 0.3}],
    })


# --------------------------------------------------------------------------------------- Kinetix documents
def _kv(x, y) -> dict:
    return {"0": float(x), "1": float(y)}


def kinetix_body(position, *, vertices=None, radius=0.0, rotation=0.0, inverse_mass=1.0, inverse_inertia=1.0,
                 role=0, density=1.0, collision_mode=1, active=True) -> dict:
    """One Kinetix shape entry (``vertices`` clockwise, as Jax2D stores them)."""
    verts = list(vertices or [])
    table = verts + [(0.0, 0.0)] * (4 - len(verts))
    return {"position": _kv(*position), "rotation": rotation, "velocity": _kv(0, 0), "angular_velocity": 0.0,
            "inverse_mass": inverse_mass, "inverse_inertia": inverse_inertia, "friction": 1.0, "restitution": 0.0,
            "collision_mode": collision_mode, "active": active, "n_vertices": len(verts),
            "vertices": {str(k): _kv(*v) for k, v in enumerate(table)}, "radius": radius, "role": role,
            "density": density, "highlighted": False}


def kinetix_joint(a, b, a_pos, b_pos, *, fixed=False, rotation=0.0, limits=None, motor_on=False, binding=0,
                  speed=1.0, power=1.0, active=True) -> dict:
    """One Kinetix joint entry (global shape indices)."""
    return {"a_index": a, "b_index": b, "a_relative_pos": _kv(*a_pos), "b_relative_pos": _kv(*b_pos),
            "global_position": _kv(0, 0), "active": active, "acc_impulse": _kv(0, 0), "acc_r_impulse": 0.0,
            "motor_speed": speed, "motor_power": power, "motor_on": motor_on,
            "motor_has_joint_limits": limits is not None, "min_rotation": (limits or (0.0, 0.0))[0],
            "max_rotation": (limits or (0.0, 0.0))[1], "is_fixed_joint": fixed, "rotation": rotation,
            "motor_binding": binding}


def kinetix_thruster(index, pos, rotation, power=1.0, binding=0, active=True) -> dict:
    return {"object_index": index, "relative_position": _kv(*pos), "rotation": rotation, "power": power,
            "global_position": _kv(0, 0), "active": active, "thruster_binding": binding}


def kinetix_doc(num_polygons=5, num_circles=2, num_joints=1, num_thrusters=1) -> dict:
    """A Kinetix document with the four static shapes and every other slot inactive."""
    floor = [(2.5, 5.2), (2.5, -5.2), (-2.5, -5.2), (-2.5, 5.2)]
    static = [kinetix_body((2.5, -4.8), vertices=floor, inverse_mass=0.0, inverse_inertia=0.0, collision_mode=2),
              kinetix_body((0, 0), vertices=[(-5, 5), (0, 5), (0, 0), (-5, 0)], inverse_mass=0.0,
                           inverse_inertia=0.0, collision_mode=2),
              kinetix_body((0, 0), vertices=[(5, 5), (10, 5), (10, 0), (5, 0)], inverse_mass=0.0,
                           inverse_inertia=0.0, collision_mode=2),
              kinetix_body((2.5, 10.2), vertices=floor, inverse_mass=0.0, inverse_inertia=0.0, collision_mode=2)]
    idle = kinetix_body((0, 0), vertices=[(0, 0)] * 4, inverse_mass=0.0, inverse_inertia=0.0, active=False)
    state = {"polygon": static + [copy.deepcopy(idle) for _ in range(num_polygons - 4)],
             "circle": [copy.deepcopy(idle) for _ in range(num_circles)],
             "joint": [kinetix_joint(0, 0, (0, 0), (0, 0), active=False) for _ in range(num_joints)],
             "thruster": [kinetix_thruster(0, (0, 0), 0.0, active=False) for _ in range(num_thrusters)],
             "collision_matrix": {}, "acc_rr_manifolds": [], "acc_cr_manifolds": [], "acc_cc_manifolds": [],
             "gravity": _kv(0.0, -9.81)}
    static_params = {"num_polygons": num_polygons, "num_circles": num_circles, "num_joints": num_joints,
                     "num_thrusters": num_thrusters, "max_polygon_vertices": 4, "num_solver_iterations": 10,
                     "solver_batch_size": 16, "do_warm_starting": True, "num_static_fixated_polys": 4,
                     "screen_dim": _kv(500, 500), "downscale": 4, "frame_skip": 2, "max_shape_size": 2,
                     "num_motor_bindings": 4, "num_thruster_bindings": 2}
    return {"env_state": state, "env_params": {"max_timesteps": 256, "dense_reward_scale": 0.1},
            "static_env_params": static_params}
