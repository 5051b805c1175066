"""A file pivotal-gen did not write is never replaced or removed without --adopt."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import Run

DOCKERFILE = "apps/backend/Dockerfile"
MANIFEST = ".pivotal-gen-manifest.json"


def _platform_with_own_dockerfile(tmp_path: Path) -> Path:
    platform = tmp_path / "platform"
    (platform / "apps/backend").mkdir(parents=True)
    (platform / DOCKERFILE).write_text("FROM scratch  # the team's own\n")
    return platform


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_render_out_refuses_a_file_it_did_not_write_and_writes_nothing(
    project: Path, run: Run, tmp_path: Path
) -> None:
    platform = _platform_with_own_dockerfile(tmp_path)
    (platform / "apps/frontend").mkdir()
    (platform / "apps/frontend/nginx.conf").write_text("# ours\n")
    before = _tree(platform)

    result = run("render", "--profile", "prod", "--out", str(platform))

    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line.split(": ")[1] for line in lines] == [  # "pivotal-gen: FILE: message"
        f"{platform}/{DOCKERFILE}",
        f"{platform}/apps/frontend/nginx.conf",
    ]
    assert lines[0].endswith(
        f"not written by pivotal-gen; fix: pivotal-gen render --profile prod --out {platform}"
        " --adopt, to let pivotal-gen replace it"
    )
    assert _tree(platform) == before  # all or nothing


def test_check_and_diff_report_a_foreign_file(project: Path, run: Run, tmp_path: Path) -> None:
    platform = _platform_with_own_dockerfile(tmp_path)

    check = run("check", "--profile", "prod", "--out", str(platform))
    diff = run("diff", "--profile", "prod", "--out", str(platform), "--format", "json")

    assert check.exit_code == 1
    assert f"{platform}/{DOCKERFILE}: not written by pivotal-gen; fix: " in check.stdout
    assert diff.exit_code == 1
    assert '"status": "foreign"' in diff.stdout


def test_adopt_replaces_and_lists_what_it_adopts(project: Path, run: Run, tmp_path: Path) -> None:
    platform = _platform_with_own_dockerfile(tmp_path)

    result = run("render", "--profile", "prod", "--out", str(platform), "--adopt")

    assert result.exit_code == 0, result.output
    assert f"adopted {platform}/{DOCKERFILE}\n" in result.stdout
    assert (platform / DOCKERFILE).read_bytes() == (project / "out/prod" / DOCKERFILE).read_bytes()
    assert run("check", "--profile", "prod", "--out", str(platform)).exit_code == 0
    # adopted, it is ours: the next render updates it without asking
    (platform / DOCKERFILE).write_text("edited\n")
    assert run("render", "--profile", "prod", "--out", str(platform)).exit_code == 0


def test_the_same_holds_in_out_profile(project: Path, run: Run) -> None:
    (project / "out/dev/.pivotal-gen-manifest.json").unlink()
    (project / "out/dev" / DOCKERFILE).write_text("FROM scratch\n")

    result = run("render", "--profile", "dev")

    assert result.exit_code == 2
    assert f"out/dev/{DOCKERFILE}: not written by pivotal-gen" in result.stderr
    assert not (project / "out/dev" / MANIFEST).exists()
    assert run("render", "--profile", "dev", "--adopt").exit_code == 0
    assert run("check").exit_code == 0


def test_files_an_earlier_render_left_without_a_manifest_are_taken_as_they_are(
    project: Path, run: Run, tmp_path: Path
) -> None:
    """Same bytes as we would write: nothing of anyone's is lost, so no --adopt needed."""
    platform = tmp_path / "platform"
    shutil.copytree(project / "out/prod", platform)
    (platform / MANIFEST).unlink()

    result = run("render", "--profile", "prod", "--out", str(platform))

    assert (result.exit_code, result.stdout) == (0, f"created {platform}/{MANIFEST}\n")


def test_a_later_render_into_out_removes_only_what_it_wrote(
    project: Path, run: Run, tmp_path: Path
) -> None:
    platform = _platform_with_own_dockerfile(tmp_path)
    (platform / "keep.txt").write_text("the platform's")
    assert run("render", "--profile", "prod", "--out", str(platform), "--adopt").exit_code == 0
    # the backend stops being built: its Dockerfile is ours now, and goes
    spec = project / "pivotal.yaml"
    spec.write_text(spec.read_text().replace("{published: 3000,", "{published: 3005,"))
    manifest = (platform / MANIFEST).read_text()
    (platform / MANIFEST).write_text(manifest.replace('"files": {', '"files": {"gone.txt": "x",'))
    (platform / "gone.txt").write_text("an earlier render's")

    result = run("render", "--profile", "prod", "--out", str(platform))

    assert result.exit_code == 0, result.output
    assert f"removed {platform}/gone.txt\n" in result.stdout
    assert (platform / "keep.txt").exists()
