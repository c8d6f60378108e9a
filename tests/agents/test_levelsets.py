"""Level set specs: library names, patterns, sizes, groups, the old 'bundled' alias, files."""

import pytest

from impetus.agents.levelsets import LevelSetError, load_level_set
from impetus.engine.scenes import static_for_size
from impetus.levels import library, save_level

M = static_for_size("m")


def test_library_specs_resolve_to_names_and_size_groups():
    s_names = tuple(library.names("s/*"))
    for spec in ("library:s", "s/*", "bundled"):
        level_set = load_level_set(spec, M)
        assert level_set.names == s_names and level_set.levels.static == M  # S levels padded to M
    mixed = load_level_set("s/thrust_up, group:m/car", M)
    assert mixed.names == ("s/thrust_up", *library.groups("m")["car"])
    assert mixed.groups == ("s/thrust", *["m/car"] * len(library.groups("m")["car"]))


def test_library_and_files_mix(tmp_path):
    save_level(library.load_library_level("s/topple"), tmp_path / "mine.json")
    level_set = load_level_set(f"s/thrust_up,{tmp_path / 'mine.json'}", M)
    assert level_set.names == ("s/thrust_up", "mine") and level_set.groups[1] == tmp_path.name


@pytest.mark.parametrize("spec, message", [
    ("s/thrust_upp", "unknown library level 's/thrust_upp'; did you mean s/thrust_up"),
    ("m/zzz*", r"'m/zzz\*' matches no library level"),
    ("library:x", "expected library:s, library:m or library:l"),
    ("nowhere.json", "nowhere.json: no such level, file, folder or glob match"),
])
def test_bad_specs_are_one_line(spec, message):
    with pytest.raises(LevelSetError, match=message) as err:
        load_level_set(spec, M)
    assert "\n" not in str(err.value)


def test_a_library_level_too_big_for_the_size_is_refused():
    with pytest.raises(LevelSetError, match="does not fit the training size"):
        load_level_set("m/cartpole", static_for_size("s"))
