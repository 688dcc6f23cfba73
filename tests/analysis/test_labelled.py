"""Labelled data for `carlzon train` / `evaluate`: the formats and encodings imports read, and
errors that name the file and line instead of a pandas traceback."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from carlzon.analysis.training.labelled import read_labelled
from carlzon.analysis.training.train import MIN_EXAMPLES, train_model
from carlzon.errors import InputError
from carlzon.files import output_file, output_folder

ROWS = [
    ("服務態度很好，上菜也快", "positive"),
    ("等了一個小時，太慢了", "negative"),
    ("the crew was lovely", "positive"),
]


def _csv(path: Path, encoding: str, sep: str = ",") -> Path:
    lines = [f"text{sep}label", *(f"{text}{sep}{label}" for text, label in ROWS)]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "big5"])
def test_a_labelled_csv_in_any_encoding_imports_read_gives_the_same_texts(tmp_path: Path, encoding: str) -> None:
    reference = read_labelled(_csv(tmp_path / "utf8.csv", "utf-8"), "text", "label")
    texts, labels = read_labelled(_csv(tmp_path / f"{encoding}.csv", encoding), "text", "label")
    assert (texts, labels) == reference
    assert labels == ["positive", "negative", "positive"] and "等了一个小时" in texts[1]  # simplified for analysis


def test_tsv_excel_and_json_lines_read_like_csv(tmp_path: Path) -> None:
    reference = read_labelled(_csv(tmp_path / "a.csv", "utf-8"), "text", "label")
    frame = pd.DataFrame(ROWS, columns=["text", "label"])
    frame.to_excel(tmp_path / "a.xlsx", index=False)
    (tmp_path / "a.jsonl").write_text(
        "\n".join(json.dumps({"text": t, "label": lab}, ensure_ascii=False) for t, lab in ROWS), encoding="utf-8"
    )
    for name in ("a.xlsx", "a.jsonl"):
        assert read_labelled(tmp_path / name, "text", "label") == reference, name
    assert read_labelled(_csv(tmp_path / "a.tsv", "utf-8", "\t"), "text", "label") == reference


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty.csv is empty; its first row must name the columns"),
        ("broken.csv", b"text,label\ngood,positive\n\xff\xfe bad,negative\n", "broken.csv, line 3: bytes that are not"),
        ("wide.csv", b"text,label\nslow, cold food,negative\n", "a row has more fields than the header"),
        ("quote.csv", b'text,label\n"never closed,negative\n', "quote.csv is not a readable CSV file"),
        ("fake.xlsx", b"not a spreadsheet", "fake.xlsx is not a readable XLSX file"),
    ],
)
def test_unreadable_labelled_files_name_the_file(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match="^" + re.escape(str(tmp_path))) as raised:
        read_labelled(path, "text", "label")
    assert message in str(raised.value)


def test_a_folder_is_not_labelled_data(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a file"):
        read_labelled(tmp_path, "text", "label")


def test_training_needs_enough_texts_of_every_label(tmp_path: Path) -> None:
    data = tmp_path / "few.csv"
    rows = [f"上菜很快 {i},good" for i in range(MIN_EXAMPLES)] + [f"等太久了 {i},bad" for i in range(MIN_EXAMPLES - 1)]
    data.write_text("review,stars\n" + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "m.npz"
    with pytest.raises(InputError, match=r"fewer than 5 texts for 'bad' \(4\); label more"):
        train_model("sentiment", data, text_column="review", label_column="stars", out=out)
    assert not out.exists()
    data.write_text(data.read_text(encoding="utf-8") + f"等太久了 {MIN_EXAMPLES},bad\n", encoding="utf-8")
    model = train_model("sentiment", data, text_column="review", label_column="stars", out=out)
    assert model["labels"] == ["bad", "good"] and out.exists()


def test_outputs_that_cannot_be_written_name_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    refused = r"cannot write the report to .*a_file/r\.html: .*a_file is a file, not a folder"
    with pytest.raises(InputError, match=refused), output_file(blocker / "r.html", "report") as path:
        path.write_text("never", encoding="utf-8")
    with pytest.raises(InputError, match=r"model to .*: Is a directory"), output_file(tmp_path, "model"):
        tmp_path.write_text("never", encoding="utf-8")
    with pytest.raises(InputError, match=r"cannot create the workspace .*a_file/ws"):
        output_folder(blocker / "ws", "workspace")
    with output_file(tmp_path / "new" / "deeper" / "r.html", "report") as path:
        path.write_text("ok", encoding="utf-8")
    assert (tmp_path / "new" / "deeper" / "r.html").read_text(encoding="utf-8") == "ok"
