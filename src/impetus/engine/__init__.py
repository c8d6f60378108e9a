"""Batched 2D rigid-body physics in pure JAX (soft-step solver, Box2D v3 style).

Public surface::

    StaticSimParams, SimParams, SimState   # configuration and state
    SceneBuilder, BodyHandle, SceneError   # build scenes from Python
    step                                   # step(state, params, actions) -> state
    make_plan                              # the static pair/colour plan of a capacity
"""

from .builder import BodyHandle, SceneBuilder, SceneError
from .plan import make_plan
from .scene import collision_matrix, empty_state, mass_properties, with_collision_matrix
from .step import step
from .types import (
    PHYSICS_VERSION,
    Body,
    Circle,
    Contacts,
    Joint,
    Polygon,
    SimParams,
    SimState,
    StaticSimParams,
    Thruster,
)

__all__ = [
    "PHYSICS_VERSION",
    "Body",
    "BodyHandle",
    "Circle",
    "Contacts",
    "Joint",
    "Polygon",
    "SceneBuilder",
    "SceneError",
    "SimParams",
    "SimState",
    "StaticSimParams",
    "Thruster",
    "collision_matrix",
    "empty_state",
    "make_plan",
    "mass_properties",
    "step",
    "with_collision_matrix",
]
