"""Training on a label column that is not one (issue #17, item 7): a cap, progress, short messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from carlzon.analysis.training.train import train_model
from carlzon.errors import InputError
from tests.cli.test_cli import carlzon


def _labelled(path: Path, labels: int, per_label: int) -> Path:
    rows = ["text,label"] + [f"评论{i}-{j} 很好,L{i:05d}" for i in range(labels) for j in range(per_label)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_thousands_of_labels_are_refused_at_once_with_a_short_message(tmp_path: Path) -> None:
    # Was: 2,000 labels x 5 texts ran over 120 s with no progress; 100,000 labels gave a 1.9 MB line.
    data = _labelled(tmp_path / "many.csv", 2000, 5)
    with pytest.raises(InputError, match="2,000 distinct labels") as caught:
        train_model("touchpoints", data, text_column="text", label_column="label", out=tmp_path / "m.npz")
    message = str(caught.value)
    assert len(message) < 400 and "… and 1,995 more" in message and "--max-labels" in message


def test_the_cap_can_be_raised_and_progress_is_reported(tmp_path: Path) -> None:
    data = _labelled(tmp_path / "three.csv", 3, 6)
    with pytest.raises(InputError, match="3 distinct labels"):
        train_model("sentiment", data, text_column="text", label_column="label", out=tmp_path / "m", max_labels=2)
    seen: list[tuple[int, int]] = []
    train_model(
        "touchpoints", data, text_column="text", label_column="label", out=tmp_path / "m.npz",
        on_progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert seen[-1] == (seen[-1][1], seen[-1][1]) and len(seen) == seen[-1][1] + 1


def test_the_cli_shows_the_cap_as_one_line(tmp_path: Path) -> None:
    _labelled(tmp_path / "many.csv", 300, 5)
    result = carlzon(
        "train", "touchpoints", "--data", "many.csv", "--label-column", "label", "--out", "m.npz", cwd=tmp_path
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "300 distinct labels" in result.stderr and len(result.stderr) < 1000
