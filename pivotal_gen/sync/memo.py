"""The check memo: project states that a full comparison found up to date.

`pivotal-gen check` runs on every commit, and most of its time is loading the
generator, not comparing. So when a full check, diff or render of every profile
has seen that the files on disk are exactly what the generator writes, it records
a digest of that state here:

- the generator: its code and templates, the Python version, and the folders
  of installed libraries (installing or upgrading one changes their listing);
- the inputs: the spec and every profile, byte for byte;
- the outputs: every file under out/<profile>/ (path, executable bit, content)
  and the schemas.

A plain `pivotal-gen check` recomputes the digest from disk with the standard
library only, in milliseconds. If the memo holds it, nothing that decides the
answer has changed since the full check said "up to date", so that is the
answer. Anything else, a hand-edited output, an edited spec, a new library, a
symlink or a leftover temporary file, is a miss, and the full check runs.

The memo lives in .pivotal-gen-cache/ beside the spec; the folder ignores
itself for git, and deleting it costs one full check.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import stat
import sys
import time
from collections.abc import Iterable

from pivotal_gen.layout import (
    MANIFEST,
    MAX_INPUT_BYTES,
    OUT_DIR,
    PACKAGE_DIR,
    PROFILE_SCHEMA,
    PROFILES_DIR,
    SPEC_SCHEMA,
    TEMP_PREFIX,
    templates_dir,
)

# Paths are strings joined with os.path: pathlib's import alone would cost this
# module a fifth of the time it has.
CACHE_DIR = ".pivotal-gen-cache"
MEMO_FILE = "check-memo"
KEEP = 16  # states remembered: a few branches' worth
_MEMO_BYTES = KEEP * 65  # that many sha256 digests in hex, a line each
_GITIGNORE = "# Created by pivotal-gen: a cache, never committed.\n*\n"
# https://bford.info/cachedir/: backup tools skip the folder.
_CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# A cache of pivotal-gen.\n"

# One output file as the comparison sees it: path from the project root, executable, sha256.
Entry = tuple[str, bool, str]


def entry(path: str, executable: bool, data: bytes) -> Entry:
    return (path, executable, hashlib.sha256(data).hexdigest())


@functools.cache
def generator_digest(package: str = PACKAGE_DIR, templates: str = "") -> bytes:
    """What, besides the inputs, decides the bytes render writes."""
    digest = hashlib.sha256(sys.version.encode())
    for folder in sorted({package, templates or templates_dir()}):
        for path in _files(folder):
            digest.update(f"{os.path.relpath(path, folder)}\0".encode())
            digest.update(hashlib.sha256(_read(path)).digest())
    for site_folder in sys.path:
        if site_folder.endswith(("site-packages", "dist-packages")):
            with contextlib.suppress(OSError):
                digest.update(f"{site_folder}\0{os.stat(site_folder).st_mtime_ns}\0".encode())
    return digest.digest()


def _files(folder: str) -> list[str]:
    found = []
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [os.path.join(here, n) for n in sorted(names) if not n.endswith(".pyc")]
    return found


def project_root(spec: str) -> str:
    """The folder of the spec, where profiles/, out/, schema/ and the cache are."""
    return os.path.dirname(spec) or "."


def inputs(spec: str) -> tuple[bytes, list[str]] | None:
    """The digest of generator, spec and profiles, and the profiles' names; None when
    one cannot be read as a plain file (the full check says why)."""
    root = project_root(spec)
    digest = hashlib.sha256(generator_digest())
    profiles = os.path.join(root, PROFILES_DIR)
    try:
        names = sorted(n for n in os.listdir(profiles) if n.endswith(".yaml"))  # as Project
    except OSError:
        names = []
    for name, path in [
        (f"spec {os.path.basename(spec)}", spec),
        *((name, os.path.join(profiles, name)) for name in names),
    ]:
        data = _read_input(path)
        if data is None:
            return None
        digest.update(f"{name}\0".encode())
        digest.update(hashlib.sha256(data).digest())
    return digest.digest(), [name.removesuffix(".yaml") for name in names]


def vouched(spec: str) -> tuple[int, int] | None:
    """When the memo holds the current state, how many files in how many profiles it
    vouches for (what render says it left alone); else None. A file it cannot read is
    no answer: the full command then reads it and says what is wrong."""
    try:
        return _vouched(spec)
    except OSError:
        return None


def _vouched(spec: str) -> tuple[int, int] | None:
    found = inputs(spec)
    if found is None:
        return None
    root = project_root(spec)
    before, profiles = found
    outputs = _disk_outputs(root, profiles)
    if outputs is None or _state(before, outputs) not in _read_memo(root):
        return None
    return len(outputs), len(profiles)


def up_to_date(files: int, profiles: int) -> str:
    """What render says when it has nothing to write, with or without the memo."""
    return f"up to date: {files} files in {profiles} profile{'' if profiles == 1 else 's'}"


def record(spec: str, before: bytes, outputs: Iterable[Entry]) -> None:
    """Remember that these outputs are what the inputs digested as `before` make.

    Called when a comparison of every profile found nothing to change, or once render
    applied what it found; skipped when an input changed meanwhile. Failing to write
    is no error: it is a cache.
    """
    root = project_root(spec)
    after = inputs(spec)
    if after is None or after[0] != before:
        return
    state = _state(before, sorted(outputs))
    kept = [line for line in _read_memo(root) if line != state][: KEEP - 1]
    with contextlib.suppress(OSError):
        _write_memo(root, "".join(f"{line}\n" for line in [state, *kept]))


def _write_memo(root: str, text: str) -> None:
    import tempfile  # only when recording: the fast path never writes

    folder = os.path.join(root, CACHE_DIR)
    if os.path.islink(folder):
        return  # a cache is not worth writing through a link to who knows where
    if not os.path.isdir(folder):
        os.mkdir(folder)
        for name, content in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
            with open(os.path.join(folder, name), "w") as handle:
                handle.write(content)
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(temp, os.path.join(folder, MEMO_FILE))
    except BaseException:
        os.unlink(temp)
        raise
    # What a killed writer left; a minute old, so not a concurrent writer's.
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name.startswith(TEMP_PREFIX) and os.stat(path).st_mtime < time.time() - 60:
            os.unlink(path)


def _state(inputs_digest: bytes, outputs: list[Entry]) -> str:
    digest = hashlib.sha256(inputs_digest)
    for path, executable, content in outputs:
        digest.update(f"{path}\0{int(executable)}\0{content}\n".encode())
    return digest.hexdigest()


def _read_memo(root: str) -> list[str]:
    """The remembered states; none when the memo is not a plain file of sane size (a
    link to /dev/zero would never end)."""
    try:
        fd = os.open(
            os.path.join(root, CACHE_DIR, MEMO_FILE), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
        )
    except OSError:
        return []
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode) or os.path.islink(os.path.join(root, CACHE_DIR)):
            return []
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(_MEMO_BYTES).decode("ascii").split()
    except (OSError, UnicodeDecodeError):
        return []
    finally:
        os.close(fd)


def _read_input(path: str) -> bytes | None:
    """A spec's or profile's bytes; None for anything the full path would refuse (not a
    regular file, too large, unreadable), without blocking on a FIFO or reading a device."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_INPUT_BYTES:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= MAX_INPUT_BYTES else None


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _disk_outputs(root: str, profiles: list[str]) -> list[Entry] | None:
    """Every file the full check would look at, as it would see it; None where it
    would look closer (a symlink, a temporary file, a retired profile's folder)."""
    if _has_temporary_file(root) or _has_temporary_file(os.path.join(root, "schema")):
        return None
    entries: list[Entry] = []
    for rel in (SPEC_SCHEMA, PROFILE_SCHEMA):
        if not os.path.lexists(os.path.join(root, rel)):
            entries.append((rel, False, "missing"))
        elif not _add_entry(root, rel, entries):
            return None
    out = os.path.join(root, OUT_DIR)
    if os.path.islink(out):
        return None
    for name in os.listdir(out) if os.path.isdir(out) else ():
        folder = os.path.join(out, name)
        if name in profiles:
            if os.path.islink(folder) or not _walk(root, folder, entries):
                return None
        elif os.path.islink(folder):
            continue  # not ours, and the full check does not look into it either
        elif rendered_into(folder):
            return None  # a retired profile's output, which render would remove
    return sorted(entries)


def _walk(root: str, folder: str, entries: list[Entry]) -> bool:
    for here, dirs, names in os.walk(folder):
        if any(os.path.islink(os.path.join(here, d)) for d in dirs):
            return False
        for name in names:
            rel = os.path.relpath(os.path.join(here, name), root).replace(os.sep, "/")
            if not _add_entry(root, rel, entries):
                return False
    return True


def _add_entry(root: str, rel: str, entries: list[Entry]) -> bool:
    """Add a regular file's entry; False for anything else (a link, a folder, unreadable)."""
    path = os.path.join(root, rel)
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            return False
        entries.append(entry(rel, bool(info.st_mode & 0o111), _read(path)))
    except OSError:
        return False
    return True


def rendered_into(folder: str) -> bool:
    """Whether a render wrote into `folder`: a manifest, or the temporary file of one (a
    render killed while writing a new profile's first file leaves only that). The full
    comparison (sync/plan.py) retires such a folder; the memo declines on one."""
    return os.path.isfile(os.path.join(folder, MANIFEST)) or _has_temporary_file(folder)


def _has_temporary_file(folder: str) -> bool:
    try:
        return any(name.startswith(TEMP_PREFIX) for name in os.listdir(folder))
    except OSError:
        return False
