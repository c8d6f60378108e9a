"""The default evaluation levels: the S levels of the hand-designed library.

The five levels bundled here before the library existed live on as library levels
(``s/thrust_right``, ``s/thrust_left``, ``s/thrust_up``, ``s/motor_wheel``, ``s/thrust_aim``);
see ``impetus.levels.library`` and ``impetus levels list``.  Level set specs are resolved by
``levelsets``.
"""

#: ``RunConfig.eval_levels`` default: every S library level.
DEFAULT_EVAL_LEVELS = "library:s"

#: Older spec aliases still accepted by ``levelsets`` (saved run configs may hold them).
ALIASES = {"bundled": DEFAULT_EVAL_LEVELS}
