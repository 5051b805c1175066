"""The check memo vouches only for a state a full comparison found up to date."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pivotal_gen.layout import PACKAGE_DIR, TEMP_PREFIX, templates_dir
from pivotal_gen.sync import memo
from tests.conftest import Run


def spec(project: Path) -> str:
    return str(project / "pivotal.yaml")


def vouches(project: Path) -> bool:
    return memo.vouched(spec(project)) is not None


@pytest.fixture
def checked(project: Path, run: Run) -> Path:
    """The copied project after a full check found it up to date (which records it)."""
    assert run("check").exit_code == 0
    assert vouches(project)
    return project


def _edit_output(root: Path) -> None:
    compose = root / "out/ci/infra/docker/docker-compose.yml"
    compose.write_text(compose.read_text().replace("redis:8-alpine", "redis:8-alpinX"))


def _edit_spec_comment(root: Path) -> None:
    (root / "pivotal.yaml").write_text((root / "pivotal.yaml").read_text() + "# a comment\n")


def _chmod_script(root: Path) -> None:
    (root / "out/dev/scripts/ci/api-smoke.sh").chmod(0o644)


def _symlink(root: Path, rel: str) -> None:
    """Replace a file or folder by a link to it, moved out of out/: the full check
    replaces links, even to the same bytes."""
    moved = root.parent / "elsewhere"
    shutil.move(root / rel, moved)
    (root / rel).symlink_to(moved)


def _retired_profile(root: Path) -> None:
    shutil.copytree(root / "out/ci", root / "out/old")


MUTATIONS: dict[str, Callable[[Path], object]] = {
    "hand-edited output": _edit_output,
    "spec comment": _edit_spec_comment,
    "profile edited": lambda r: (r / "profiles/ci.yaml").write_text("# empty\n"),
    "profile added": lambda r: shutil.copy(r / "profiles/ci.yaml", r / "profiles/qa.yaml"),
    "profile a folder": lambda r: (r / "profiles/qa.yaml").mkdir(),
    "unknown file": lambda r: (r / "out/prod/stray.yml").write_text("x"),
    "temporary file": lambda r: (r / "schema" / f"{TEMP_PREFIX}x").write_text("x"),
    "schema removed": lambda r: (r / "schema/pivotal.schema.json").unlink(),
    "output removed": lambda r: (r / "out/prod/.env.example").unlink(),
    "executable bit": _chmod_script,
    "symlinked script": lambda r: _symlink(r, "out/dev/scripts/ci/api-smoke.sh"),
    "symlinked folder": lambda r: _symlink(r, "out/dev/scripts/ci"),
    "symlinked profile output": lambda r: _symlink(r, "out/dev"),
    "retired profile": _retired_profile,
    "out/ removed": lambda r: shutil.rmtree(r / "out"),
}


@pytest.mark.parametrize("mutate", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_any_change_the_full_check_could_see_is_a_miss(
    checked: Path, mutate: Callable[[Path], object]
) -> None:
    mutate(checked)
    assert not vouches(checked)


INPUTS: dict[str, Callable[[Path], object]] = {
    "a FIFO": lambda p: os.mkfifo(p),
    "a link to /dev/zero": lambda p: p.symlink_to("/dev/zero"),
    "a folder": lambda p: p.mkdir(),
    "oversize": lambda p: p.write_bytes(b"#" * (16 << 20) + b"\n"),
}


@pytest.mark.parametrize("make", INPUTS.values(), ids=INPUTS.keys())
@pytest.mark.parametrize("name", ["pivotal.yaml", "profiles/qa.yaml"])
def test_the_fast_path_declines_an_input_the_full_path_refuses(
    project: Path, name: str, make: Callable[[Path], object]
) -> None:
    # declined unread, in bounded time: the full path says what is wrong
    (project / name).unlink(missing_ok=True)
    make(project / name)
    assert memo.inputs(spec(project)) is None


def test_after_a_miss_the_full_check_answers_and_records_the_new_state(
    checked: Path, run: Run
) -> None:
    _edit_output(checked)
    assert run("check").exit_code == 1
    assert not vouches(checked)  # nothing recorded for a stale tree
    assert run("render").exit_code == 0
    assert vouches(checked)  # render of every profile records
    _edit_spec_comment(checked)
    assert run("check").exit_code == 0
    assert vouches(checked)


@pytest.mark.parametrize(
    "args",
    [("check", "--no-cache"), ("check", "--profile", "dev"), ("diff", "--profile", "dev")],
)
def test_partial_or_uncached_comparisons_record_nothing(
    run: Run, project: Path, args: tuple[str, ...]
) -> None:
    assert run(*args).exit_code == 0
    assert not (project / memo.CACHE_DIR).exists()


def test_diff_of_every_profile_records(run: Run, project: Path) -> None:
    assert run("diff").exit_code == 0
    assert vouches(project)


def test_an_input_changed_during_the_comparison_is_not_recorded(checked: Path) -> None:
    (checked / memo.CACHE_DIR / memo.MEMO_FILE).unlink()
    found = memo.inputs(spec(checked))
    assert found is not None
    _edit_spec_comment(checked)  # after planning began, before recording

    memo.record(spec(checked), found[0], [])

    assert not (checked / memo.CACHE_DIR / memo.MEMO_FILE).exists()


def test_the_memo_keeps_the_latest_states(project: Path) -> None:
    found = memo.inputs(spec(project))
    assert found is not None
    for number in range(memo.KEEP + 4):
        memo.record(spec(project), found[0], [memo.entry(f"x{number}", False, b"")])
    lines = (project / memo.CACHE_DIR / memo.MEMO_FILE).read_text().split()
    assert len(lines) == len(set(lines)) == memo.KEEP


def test_a_cache_that_cannot_be_written_is_no_error(project: Path, run: Run) -> None:
    (project / memo.CACHE_DIR).write_text("a file where the cache folder goes")
    assert run("check").exit_code == 0
    assert not vouches(project)


def test_the_cache_folder_stays_out_of_git(project: Path, run: Run) -> None:
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    assert run("check").exit_code == 0
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all", memo.CACHE_DIR],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    assert (project / memo.CACHE_DIR / memo.MEMO_FILE).is_file()
    assert status.stdout == ""


@pytest.mark.parametrize("edit", ["template", "module"])
def test_the_generator_digest_covers_templates_and_code(tmp_path: Path, edit: str) -> None:
    package = shutil.copytree(PACKAGE_DIR, tmp_path / "pkg")
    templates = shutil.copytree(templates_dir(), tmp_path / "templates")
    before = memo.generator_digest(str(package), str(templates))
    edited = templates / "nginx.conf.j2" if edit == "template" else package / "sync" / "plan.py"
    edited.write_text(edited.read_text() + "\n")
    memo.generator_digest.cache_clear()
    assert memo.generator_digest(str(package), str(templates)) != before


def test_the_fast_path_answers_without_loading_the_generator(checked: Path) -> None:
    command = [sys.executable, "-X", "importtime", "-m", "pivotal_gen", "check"]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

    fast = subprocess.run(command, cwd=checked, capture_output=True, text=True, env=environment)
    assert fast.returncode == 0, fast.stderr
    fast_imports = {line.split("|")[-1].strip() for line in fast.stderr.splitlines()}
    assert "pivotal_gen.sync.memo" in fast_imports
    assert not {"click", "pydantic", "ruamel.yaml", "jinja2"} & fast_imports

    _edit_output(checked)  # the same command now runs the full check, which finds it
    full = subprocess.run(command, cwd=checked, capture_output=True, text=True, env=environment)
    assert full.returncode == 1
    assert "out/ci/infra/docker/docker-compose.yml: out of date" in full.stdout
    assert "click" in {line.split("|")[-1].strip() for line in full.stderr.splitlines()}


def test_the_render_hook_s_shortcut_writes_nothing_and_says_so(checked: Path) -> None:
    command = [
        sys.executable,
        "-X",
        "importtime",
        "-m",
        "pivotal_gen",
        "render",
        "--fail-on-change",
    ]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

    fast = subprocess.run(command, cwd=checked, capture_output=True, text=True, env=environment)
    # what the full render says (tests/commands/test_render.py): the same words
    assert (fast.returncode, fast.stdout) == (0, "up to date: 114 files in 4 profiles\n")
    assert "click" not in {line.split("|")[-1].strip() for line in fast.stderr.splitlines()}

    _edit_output(checked)  # the full render puts the file back, and fails on the change
    full = subprocess.run(command, cwd=checked, capture_output=True, text=True, env=environment)
    assert (full.returncode, full.stdout) == (1, "updated out/ci/infra/docker/docker-compose.yml\n")
    assert vouches(checked)


def test_the_memo_digests_the_spec_that_spec_names(project: Path, run: Run) -> None:
    (project / "pivotal.yaml").rename(project / "stack.yaml")
    assert run("--spec", "stack.yaml", "render").exit_code == 0
    stack = str(project / "stack.yaml")
    assert memo.vouched(stack) is not None
    assert not vouches(project)  # pivotal.yaml: no such spec here
    Path(stack).write_text(Path(stack).read_text() + "# edited\n")
    assert memo.vouched(stack) is None


def test_a_memo_linked_to_dev_zero_is_no_memo(checked: Path) -> None:
    memo_file = checked / memo.CACHE_DIR / memo.MEMO_FILE
    memo_file.unlink()
    memo_file.symlink_to("/dev/zero")  # read whole, it never ends
    assert not vouches(checked)


def test_a_symlinked_cache_folder_is_neither_read_nor_written(
    project: Path, run: Run, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / memo.CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)

    assert run("check").exit_code == 0

    assert list(elsewhere.iterdir()) == []
    assert not vouches(project)


def test_a_file_the_memo_cannot_read_is_no_answer(
    checked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unreadable out/ on the hook's path falls through to the full command, which
    says what is wrong, instead of a traceback before click loads."""

    def unreadable(path: str) -> list[str]:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(os, "listdir", unreadable)
    assert memo.vouched(spec(checked)) is None
