"""Real servers of the stack, run natively on loopback for the rehearsal tests.

There is no Docker engine where the tests run, but PostgreSQL, Redis, the
exporters, Prometheus, Alertmanager and nginx have Debian packages. A test starts
the one it needs in its temporary folder on a free loopback port and stops it by
PID when it is done, whatever happened; a missing program skips the test with the
package to install (and fails it when CI is set, as every tool check does).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.tools import nginx, unavailable


def free_port() -> int:
    """A loopback port nothing listens on now (the kernel's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(
    condition: Callable[[], bool], what: str, *, timeout: float = 30, log: Path | None = None
) -> None:
    """Poll until condition holds; fail with what was awaited and the server's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{tail}")


def stop(process: subprocess.Popen[bytes], *, grace: float = 10) -> None:
    """Stop the process by its PID: SIGTERM, then SIGKILL after the grace period."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


def stand_in(text: str, old: str, new: str, *, count: int | None = None) -> str:
    """`text` with `new` standing in for `old`, which must be there: `count` times when
    given, else at least once. Every occurrence is replaced."""
    found = text.count(old)
    if count is None:
        assert found > 0, f"the stand-in's original {old!r} is not in {text!r}"
    else:
        assert found == count, f"{old!r} is there {found} times, not {count}:\n{text}"
    return text.replace(old, new)


@contextlib.contextmanager
def running(
    argv: list[str],
    *,
    log: Path,
    port: int | None = None,
    ready: Callable[[], bool] | None = None,
    user: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 30,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server until the block ends; ready once `port` accepts (or `ready()`)."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            argv,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            user=user,
            start_new_session=True,  # a signal to the test run does not reach it
        )
    try:

        def up() -> bool:
            if process.poll() is not None:
                tail = log.read_text(errors="replace")[-3000:]
                raise AssertionError(f"{argv[0]} exited with {process.returncode}\n{tail}")
            return (port is None or listening(port)) and (ready is None or ready())

        wait_until(up, f"{argv[0]} to be ready", timeout=timeout, log=log)
        yield process
    finally:
        stop(process)


def server_user() -> str | None:
    """The user servers run as: `postgres` when the tests run as root (initdb refuses
    root), else the test's own user."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        unavailable("tests run as root and no `postgres` user exists (Debian package postgresql)")
    return "postgres"


def hand_to(path: Path, user: str | None) -> None:
    """Give a folder the tests made to the user a server runs as."""
    if user is None:
        return
    entry = pwd.getpwnam(user)
    for root, dirs, files in os.walk(path):
        for name in [*dirs, *files]:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)
    os.chown(path, entry.pw_uid, entry.pw_gid)


@contextlib.contextmanager
def reachable_folder(user: str | None) -> Iterator[Path]:
    """A new folder the server's user can reach: pytest's own temporary folders are
    private to the user running the tests, so a server of another user gets its own."""
    folder = Path(tempfile.mkdtemp(prefix="pivotal-rehearsal-"))
    try:
        folder.chmod(0o755)
        hand_to(folder, user)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def nginx_server(
    config: Path, port: int, *, user: str | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """nginx in the foreground on `config` (relative paths under its folder) until the
    block ends; ready once `port` accepts. Its logs go to nginx.log beside the config."""
    log = config.parent / "nginx.log"
    log.touch()
    hand_to(config.parent, user)  # nginx reopens /dev/stdout, the log, as `user`
    argv = [nginx(), "-e", "stderr", "-p", f"{config.parent}/", "-c", str(config),
            "-g", "daemon off;"]  # fmt: skip
    with running(argv, log=log, port=port, user=user) as process:
        yield process


def unprivileged_user() -> str | None:
    """Who runs a server that needs no particular user: `nobody` when the tests run as
    root (as the images run theirs, not as root), else the test's own user."""
    return "nobody" if os.geteuid() == 0 else None
