"""``GeneratorParams``: the knobs of the random level distribution (Kinetix ``UEDParams``).

Float fields are pytree leaves (traced; a batch of params can be vmapped); the fields marked
static change array shapes or Python control flow and are hashed instead.  Defaults are the
Kinetix defaults (reference section 5.1) unless a comment says otherwise.
"""

import math

from ..engine._pytree import PyTreeNode, static_field


class GeneratorParams(PyTreeNode):
    """Parameters of :func:`impetus.levels.sample_level` and the ACCEL mutators."""

    # shape sizes [m]
    max_shape_size: float = 1.0
    goal_body_size_factor: float = 1.0  # size multiplier for green and blue shapes
    large_rect_dim_chance: float = 0.3  # one box axis is scaled by large_rect_dim_scale
    large_rect_dim_scale: float = 2.0
    circle_max_size_coeff: float = 0.8  # radius <= max_shape_size / 2 * coeff
    # placement
    goal_body_opposite_side_chance: float = 0.5  # green left half, blue right half
    fixate_chance_min: float = 0.02  # P(fixed) = min(max, min + scale * area)
    fixate_chance_max: float = 1.0
    fixate_chance_scale: float = 4.0
    fixate_shape_bottom_bias: float = 0.0  # P(move a fixed upper-half shape down 2.5 m), role 0
    fixate_shape_bottom_bias_special_role: float = 0.6  # the same, added for roles 1..3
    # joints
    min_rjoints_bias: int = 2  # joints are revolute while fewer revolute joints exist
    joint_fixed_chance: float = 0.5  # Kinetix hard-codes 0.5 (its UEDParams field, 0.1, is unused)
    motor_on_chance: float = 0.8
    motor_min_speed: float = 0.4
    motor_max_speed: float = 3.0
    motor_min_power: float = 1.0
    motor_max_power: float = 3.0
    wheel_max_power: float = 1.0  # motor power cap when a circle is jointed
    joint_limit_chance: float = 0.4  # polygon-polygon revolute joints only
    joint_limit_max: float = math.pi
    # connections
    connect_to_fixated_prob_coeff: float = 0.05
    connect_visibility_min: float = 0.05  # [m]
    connect_no_visibility_bias: float = 10.0  # score penalty of a hidden jointed shape
    # thrusters
    thruster_power_multiplier: float = 2.0
    thruster_align_com_prob: float = 0.8
    add_thruster_chance: float = 0.3
    # the shape-adding loop
    add_shape_chance: float = 0.35
    add_connected_shape_chance: float = 0.35
    add_no_shape_chance: float = 0.3
    # floor role probabilities (neutral, green, blue, red)
    floor_prob_normal: float = 0.9
    floor_prob_green: float = 0.0
    floor_prob_blue: float = 0.02
    floor_prob_red: float = 0.08
    # episode
    max_timesteps: int = 256
    gravity_y: float = -9.81
    # static (hashed) fields
    add_shape_n_proposals: int = static_field(default=8)
    generate_triangles: bool = static_field(default=False)
    num_motor_bindings: int = static_field(default=4)
    num_thruster_bindings: int = static_field(default=2)
    #: levels with at most this many free shape slots never fixate shapes (Kinetix's S rule)
    never_fixate_max_free_slots: int = static_field(default=3)
