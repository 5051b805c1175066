"""Where a path under an output folder really leads: nothing is done through a symlinked folder."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from pivotal_gen.errors import PivotalError


def folders_between(root: Path, path: Path) -> list[Path]:
    """The folders below root that contain path, outermost first."""
    return [root / p for p in reversed(path.relative_to(root).parents) if p != Path(".")]


def linked_folder(root: Path, path: Path) -> bool:
    """Whether path is reached through a symlinked folder: writing there would leave root."""
    return any(folder.is_symlink() for folder in folders_between(root, path))


def read(path: Path) -> bytes | None:
    """A file's bytes; None when there is none.

    A symlink, a FIFO or a device reads as empty: it is replaced, never followed or
    read (a link to /proc/self/environ would print the environment in a diff)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # the last part is a symlink
            return b""
        raise PivotalError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise PivotalError(f"{path}: a folder is where a generated file belongs")
        if not stat.S_ISREG(mode):
            return b""
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise PivotalError(f"{path}: cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)


def executable(path: Path) -> bool:
    """Only the executable bit counts: it is all git keeps, the rest follows the umask.
    A link's own bits, never its target's."""
    return bool(path.lstat().st_mode & 0o111)
