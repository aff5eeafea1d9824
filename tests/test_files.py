"""Every file the project writes is written whole, or not at all, with the permissions of a shared file."""
import os

import pytest

from officenet.edge import files


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    files._umask.cache_clear()
    yield
    os.umask(old)
    files._umask.cache_clear()


def test_atomic_write_replaces_the_file_and_leaves_no_temp_file(tmp_path, umask_022):
    target = tmp_path / "out" / "a.html"
    files.atomic_write(target, "one")
    files.atomic_write(target, "two\n")
    assert target.read_bytes() == b"two\n" and [p.name for p in target.parent.iterdir()] == ["a.html"]
    assert target.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600


def test_a_failed_atomic_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    files.atomic_write(target, "old")

    def crash(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        files.atomic_write(target, "new")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_replace_folder_swaps_in_exactly_the_new_files_readable_by_others(tmp_path, umask_022):
    target = tmp_path / "export"
    files.replace_folder(target, {"a.txt": "1", "sub/b.txt": "2"})
    written = files.replace_folder(target, {"c.txt": "3"})
    assert written == [target / "c.txt"] and sorted(p.name for p in target.rglob("*")) == ["c.txt"]
    assert target.stat().st_mode & 0o777 == 0o755  # not mkdtemp's private 0700
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]  # no staging or old folder left
