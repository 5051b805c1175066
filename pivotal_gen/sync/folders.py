"""Where a path under an output folder really leads: nothing is done through a symlinked folder."""

from __future__ import annotations

from pathlib import Path

from pivotal_gen.errors import PivotalError


def folders_between(root: Path, path: Path) -> list[Path]:
    """The folders below root that contain path, outermost first."""
    return [root / p for p in reversed(path.relative_to(root).parents) if p != Path(".")]


def linked_folder(root: Path, path: Path) -> bool:
    """Whether path is reached through a symlinked folder: writing there would leave root."""
    return any(folder.is_symlink() for folder in folders_between(root, path))


def read(path: Path) -> bytes | None:
    """A file's bytes; None when there is none."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise PivotalError(f"{path}: a folder is where a generated file belongs") from None
    except OSError as exc:
        raise PivotalError(f"{path}: cannot read: {exc.strerror}") from None


def executable(path: Path) -> bool:
    """Only the executable bit counts: it is all git keeps, the rest follows the umask."""
    return bool(path.stat().st_mode & 0o111)
