"""Hostile and broken input, as a user meets it through the CLI: exit 2, a message that
says where (`FILE:LINE:COL: ` or `pivotal-gen: `), never a traceback, nothing written
where it should not be, and no secret from the environment in any generated file.

Cases tested elsewhere are not repeated: an empty file, a list, non-UTF-8 bytes and
YAML errors in pivotal.yaml, a comment-only profile (test_cli.py); unknown keys, a list
and a `..` service name in a profile (cases/invalid/, through `validate`); the alias
bomb's parse (test_source.py); --out naming a file, symlinks in out/ (commands/
test_render.py); two secrets in a subprocess's environment (test_golden.py).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from click.testing import Result

from pivotal_gen.errors import PivotalError
from pivotal_gen.project import Project
from pivotal_gen.source.document import NODE_BUDGET, parse_document
from pivotal_gen.source.paths import format_path
from tests.conftest import Run
from tests.test_source import billion_laughs


def refused(result: Result, message: str) -> None:
    """Exit 2 with exactly this one message on stderr."""
    assert "Traceback" not in result.output
    assert (result.exit_code, result.stderr) == (2, message + "\n"), result.output


def everything(root: Path) -> dict[str, bytes]:
    """Every file under root, to show that nothing was written anywhere."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# --- profiles ---------------------------------------------------------------------------------


def test_an_empty_profile_file_renders_the_spec_unchanged(project: Path, run: Run) -> None:
    (project / "profiles" / "empty.yaml").write_bytes(b"")

    result = run("render", "--profile", "empty")

    assert result.exit_code == 0, result.output
    loaded = Project(project)
    assert loaded.load("empty").spec == loaded.load(None).spec
    assert loaded.load("empty").document.data == loaded.load(None).document.data


def test_non_utf8_bytes_in_a_profile_are_located(project: Path, run: Run) -> None:
    (project / "profiles" / "latin1.yaml").write_bytes(
        b"services:\n  backend:\n    description: caf\xe9 au lait\n"
    )

    result = run("render", "--profile", "latin1")

    refused(result, "profiles/latin1.yaml:3:21: file is not valid UTF-8")


def test_a_profile_that_is_a_folder_is_refused_not_skipped(project: Path, run: Run) -> None:
    # e.g. left by `docker run -v profiles/prod.yaml:...` when the file did not exist
    (project / "profiles" / "prod.yaml").unlink()
    (project / "profiles" / "prod.yaml").mkdir()
    before = everything(project / "out")

    for command in ("render", "validate"):
        refused(run(command), "pivotal-gen: profiles/prod.yaml: a folder, not a regular file")

    # Skipped, it would have counted as a removed profile: render deletes out/prod/.
    assert everything(project / "out") == before


def test_a_fifo_profile_is_refused_at_once(project: Path, run: Run) -> None:
    # Opened for reading, a FIFO waits for a writer that never comes.
    os.mkfifo(project / "profiles" / "qa.yaml")

    refused(run("validate"), "pivotal-gen: profiles/qa.yaml: a FIFO, not a regular file")


@pytest.mark.parametrize("name", ["pivotal.yaml", "profiles/prod.yaml"])
def test_a_link_to_dev_zero_is_refused_unread(project: Path, run: Run, name: str) -> None:
    (project / name).unlink()
    (project / name).symlink_to("/dev/zero")
    tracemalloc.start()

    result = run("validate")

    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    refused(result, f"pivotal-gen: {name}: a device, not a regular file")
    assert peak < 64 << 20


def test_an_oversize_profile_is_refused(project: Path, run: Run) -> None:
    with (project / "profiles" / "prod.yaml").open("ab") as handle:
        handle.write(b"#" * (16 << 20))

    refused(run("validate"), "pivotal-gen: profiles/prod.yaml: larger than 16 MiB")


# --- the spec ---------------------------------------------------------------------------------


def test_a_spec_that_is_a_folder_is_refused(project: Path, run: Run) -> None:
    (project / "pivotal.yaml").unlink()
    (project / "pivotal.yaml").mkdir()

    for arguments in (["render"], ["--spec", "pivotal.yaml", "validate"]):
        result = run(*arguments)  # --spec (even by default) is a file: click says so
        assert result.exit_code == 2, result.output
        assert "Error: Invalid value for '--spec': File 'pivotal.yaml' is a directory." in (
            result.stderr.splitlines()
        )
        assert "Traceback" not in result.output


def test_an_unreadable_spec_is_refused(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = project / "pivotal.yaml"
    spec.chmod(0)
    # root reads any file whatever its mode: refuse the read as the kernel would otherwise.
    real_open = os.open

    def unreadable(path: str | Path, flags: int, *args: int, **kwargs: int) -> int:
        if Path(path).resolve() == spec.resolve():
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", unreadable)

    refused(run("render"), "pivotal-gen: pivotal.yaml: cannot read: Permission denied")


def test_an_alias_bomb_in_the_spec_is_refused_at_a_line(project: Path, run: Run) -> None:
    (project / "pivotal.yaml").write_text(billion_laughs()[0])

    result = run("validate", "--profile", "dev")

    assert result.exit_code == 2, result.output
    assert re.fullmatch(
        rf"pivotal\.yaml:\d+:\d+: document expands to more than {NODE_BUDGET} values "
        r"\(YAML aliases\?\)\n",
        result.stderr,
    ), result.stderr
    assert "Traceback" not in result.output


def test_an_alias_bomb_is_refused_in_bounded_memory(project: Path) -> None:
    text, expanded = billion_laughs()
    assert expanded > 10**8  # expanded, it would take tens of gigabytes
    (project / "pivotal.yaml").write_text(text)

    tracemalloc.start()
    try:
        with pytest.raises(PivotalError, match="expands to more than"):
            Project(project).load(None)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 100 * 2**20, f"loading the bomb peaked at {peak / 2**20:.0f} MiB"


# --- names that would make paths --------------------------------------------------------------


@pytest.mark.parametrize("name", ["../x", "a/b", ".hidden"])
def test_a_service_name_cannot_make_a_path(
    project: Path, run: Run, tmp_path: Path, name: str
) -> None:
    spec = project / "pivotal.yaml"
    text = spec.read_text()
    line = text[: text.index("\nservices:\n")].count("\n") + 3  # the line after `services:`
    spec.write_text(
        text.replace("\nservices:\n", f"\nservices:\n  {name}:\n    layer: job\n    image: x:1\n")
    )
    before = everything(tmp_path)

    result = run("render")

    refused(
        result,
        f"pivotal.yaml:{line}:3: {format_path(('services', name))}: {name!r} is not a valid "
        "service name "
        "(e.g. backend, redis-cache)",
    )
    assert everything(tmp_path) == before


@pytest.mark.parametrize("app", ["../../../escaped", "ABSOLUTE", "apps/../../escaped"])
def test_an_image_recipe_folder_cannot_lead_outside(
    project: Path, run: Run, tmp_path: Path, app: str
) -> None:
    # The recipe's folder is where its Dockerfile is written (out/dev/<app>/Dockerfile),
    # and the builds point there, so that only the folder itself can be refused.
    app = app.replace("ABSOLUTE", str(tmp_path / "escaped"))
    spec = project / "pivotal.yaml"
    text = spec.read_text()
    assert text.count("    app: apps/backend\n") == 1
    assert text.count("dockerfile: apps/backend/Dockerfile\n") == 2  # backend and migrate
    line = text[: text.index("    app: apps/backend\n")].count("\n") + 1
    text = text.replace("    app: apps/backend\n", f"    app: {app}\n")
    spec.write_text(text.replace("apps/backend/Dockerfile\n", f"{app}/Dockerfile\n"))
    before = everything(tmp_path)

    result = run("render")

    # The builds' dockerfile paths climb out too: each is refused where it is written.
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    assert (
        f"pivotal.yaml:{line}:10: images.backend.app: {app!r} is not a valid folder inside "
        "the repo (e.g. apps/backend)"
    ) in result.stderr.splitlines()
    for message in result.stderr.splitlines():
        assert re.match(r"pivotal\.yaml:\d+:\d+: ", message), message
    assert everything(tmp_path) == before


# --- secrets in the environment ---------------------------------------------------------------

SECRETS = ("POSTGRES_PASSWORD", "JWT_SECRET", "GRAFANA_ADMIN_PASSWORD")


@pytest.mark.parametrize("how", ["in-process", "subprocess"])
def test_the_environment_never_reaches_a_generated_file(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    spec = parse_document((project / "pivotal.yaml").read_bytes(), "pivotal.yaml").data
    names = sorted({*spec["variables"], *SECRETS})
    assert set(SECRETS) <= set(spec["variables"])
    canaries = {name: f"canary{index}-{name.lower()}-q7x" for index, name in enumerate(names)}
    for name, value in canaries.items():
        monkeypatch.setenv(name, value)
    shutil.rmtree(project / "out")  # so that render writes every file anew
    shutil.rmtree(project / "schema")

    if how == "in-process":
        assert run("render").exit_code == 0
    else:  # also what a module reads from os.environ when it is imported
        command = [sys.executable, "-m", "pivotal_gen", "render"]
        subprocess.run(command, cwd=project, check=True, capture_output=True)

    files = {**everything(project / "out"), **everything(project / "schema")}
    assert len(files) > 100
    for rel, data in files.items():
        for name, value in canaries.items():
            assert value.encode() not in data, f"{name}'s value is in {rel}"


# --- profile names --------------------------------------------------------------------------

BAD_PROFILE_NAMES = {
    "a line break": ("x\ntouch PWNED\n#", "x\\ntouch PWNED\\n#"),
    "dot-dot": ("..", ".."),
    "a leading dot": (".hidden", ".hidden"),
    "upper case": ("Prod", "Prod"),
    "a space": ("my prod", "my prod"),
}
PROFILE_NAME_RULE = (
    "not a profile name; a profile name is 1 to 63 lowercase letters, digits and `_.-`, "
    "starting with a letter or digit (e.g. prod, staging-eu): rename the file"
)


@pytest.mark.parametrize("name, shown", BAD_PROFILE_NAMES.values(), ids=BAD_PROFILE_NAMES.keys())
def test_a_badly_named_profile_file_is_refused_by_every_command_over_all_profiles(
    project: Path, run: Run, name: str, shown: str
) -> None:
    shutil.copy(project / "profiles" / "prod.yaml", project / "profiles" / f"{name}.yaml")
    before = everything(project)
    message = f"pivotal-gen: profiles/{shown}.yaml: {PROFILE_NAME_RULE}"

    for command in ("render", "check", "diff", "validate"):
        refused(run(command, "--no-cache") if command == "check" else run(command), message)
    refused(run("explain", "--profile", name, "project"), message)

    assert everything(project) == before  # nothing rendered, nor into the project root
    assert not (project / "PWNED").exists()


def test_a_stray_badly_named_profile_does_not_stop_another_profile(project: Path, run: Run) -> None:
    (project / "profiles" / "....yaml").write_text("{}\n")

    assert run("render", "--profile", "prod").exit_code == 0
    assert run("validate", "--profile", "prod").exit_code == 0
