"""Docs stay true: every setting is documented, and the layering contract holds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from carlzon.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"CARLZON_{name.upper()}" in text, f"CARLZON_{name.upper()} is missing from docs/settings.md"


def test_readme_test_command_is_make_test() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme


def test_core_imports_no_web_or_cli_framework() -> None:
    core = ROOT / "src" / "carlzon"
    offenders = []
    for path in core.rglob("*.py"):
        if path.relative_to(core).parts[0] in ("cli", "web"):
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import)\s+(fastapi|starlette|uvicorn|typer|click|rich)\b", source, re.M):
            offenders.append(str(path))
    assert offenders == []


def test_import_linter_contract_is_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_library_example_runs_as_written(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using as a library", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    result = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "'records': 3" in result.stdout and "touchpoint_id" in result.stdout
    assert (tmp_path / "ws" / "report.html").stat().st_size > 100_000  # with plotly.js inlined


def test_the_front_door_serves_every_public_name() -> None:
    import carlzon

    missing = [name for name in carlzon.__all__ if getattr(carlzon, name, None) is None]
    assert missing == []
    fresh = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, carlzon; print(sorted(m for m in ('pandas', 'sqlalchemy') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
    )
    assert fresh.stdout.strip() == "[]"  # the names are imported when they are used, not by `import carlzon`
