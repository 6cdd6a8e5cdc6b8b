"""planner.files: inputs read with a size cap from regular files or stdin only; outputs written
atomically to regular files, in place to special targets, with stale temporary files cleaned up."""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from planner.files import (
    InputError,
    check_writable,
    read_bytes,
    read_text,
    write_atomic,
    write_output,
)


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{"weeks": []}\n', "utf-8")
    assert read_text(path) == '{"weeks": []}\n'


def test_a_file_over_the_cap_is_refused_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"x" * 2048)
    assert read_bytes(path, limit=2048) == b"x" * 2048
    with pytest.raises(InputError, match="larger than"):
        read_bytes(path, limit=2047)


def test_a_device_that_never_ends_is_refused_before_reading() -> None:
    with pytest.raises(InputError, match="not a regular file"):
        read_bytes("/dev/zero")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "rows.csv"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            read_bytes(fifo)
        except BaseException as exc:
            outcome.append(exc)

    reader = threading.Thread(target=attempt, daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert isinstance(outcome[0], InputError)


def test_a_nul_byte_in_a_name_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not a file name"):
        read_bytes("rules\x00.toml")


def test_a_symlink_to_a_regular_file_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "plans" / "plan.md"
    target.parent.mkdir()
    target.write_text("old")
    link = tmp_path / "latest.md"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and target.read_text() == "new"


def test_a_fifo_target_is_written_in_place(tmp_path: Path) -> None:
    fifo = tmp_path / "out"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    check_writable(fifo)
    write_output(fifo, "# Week 1\n")
    reader.join(5)
    assert received == [b"# Week 1\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_character_device_is_written_in_place() -> None:
    write_output(Path("/dev/null"), b"\x00binary")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_writing_again_removes_partial_files_a_killed_write_left(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    stale = tmp_path / ".plan.json.partial-k1ll3d"
    stale.write_text('{"half": ')
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    running = tmp_path / ".plan.json.partial-wr1t1ng"  # another writer, still at work
    running.write_text("{")
    other = tmp_path / ".other.json.partial-k1ll3d"
    other.write_text("{")
    os.utime(other, (an_hour_ago, an_hour_ago))
    write_atomic(target, "{}\n")
    assert target.read_text() == "{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".other.json.partial-k1ll3d",
        ".plan.json.partial-wr1t1ng",
        "plan.json",
    ]


def test_a_write_that_fails_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.json"

    def full_disk(src: str, dst: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, "{}\n")
    assert list(tmp_path.iterdir()) == []


def test_check_writable_accepts_special_targets_and_refuses_missing_folders(
    tmp_path: Path,
) -> None:
    check_writable(Path("/dev/null"))
    check_writable(Path("-"))
    with pytest.raises(OSError, match="does not exist"):
        check_writable(tmp_path / "nowhere" / "plan.md")
    with pytest.raises(OSError, match="is a directory"):
        check_writable(tmp_path)
