"""Readers: CSV, TSV, Excel, JSON Lines and JSON arrays → numbered raw rows, in bounded memory.

Every reader yields ``RawRow(number, values, problem)``. A row the reader cannot even split
(wrong column count, a JSON line that is not an object) still comes out, with ``problem`` set,
so it reaches the quarantine instead of vanishing. Row numbers are what a person sees: the
header is row 1 of a CSV or sheet, the first line is row 1 of a JSON Lines file, the first
element is row 1 of a JSON array.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carlzon.errors import FeedbackFileError, InputError

FORMATS = ("csv", "tsv", "xlsx", "jsonl", "json")
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-32")
# Byte-order marks, longest first (UTF-32-LE's starts with UTF-16-LE's).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_SAMPLE = 256 * 1024
_FIELD_LIMIT = 64 * 1024 * 1024  # a 1 MB comment must reach validation, which says it is too long


@dataclass(frozen=True)
class RawRow:
    """One row as read: its number, its values by column, or the problem that stopped splitting it."""

    number: int
    values: dict[str, Any]
    problem: tuple[str, str] | None = None  # (field, reason)


ProgressCallback = Callable[[int, int], None]


SUFFIXES = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
}


def detect_format(path: Path) -> str:
    """The format from the file name: .csv .tsv/.tab .xlsx .jsonl/.ndjson .json."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            f"{path}: cannot tell the format from '{suffix or 'no extension'}'; use one of "
            ".csv .tsv .xlsx .jsonl .json (or pass --format)"
        )
    return SUFFIXES[suffix]


def detect_encoding(path: Path) -> str:
    """utf-8-sig, utf-16 or utf-32 (by their BOM), utf-8, gb18030 or big5, from the first 256 KB.

    A UTF-8 file with a few broken bytes stays UTF-8: the broken rows are quarantined, the
    rest imported; so does one whose last character was cut off (a truncated export), where
    GB18030 would read every Chinese character as another one. Between GB18030 and Big5,
    charset-normalizer's language model decides.
    """
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE)
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    trimmed = sample[: sample.rfind(b"\n") + 1] if len(sample) == _SAMPLE and b"\n" in sample else sample
    if any(decodes(trimmed[: len(trimmed) - cut], "utf-8") for cut in range(4)):
        return "utf-8"  # a UTF-8 character is at most 4 bytes: a cut one leaves up to 3
    # Lines with non-ASCII bytes: GBK or Big5 text almost never decodes as UTF-8, so when most
    # such lines do, the file is UTF-8 with a few broken rows.
    non_ascii = [line for line in trimmed.split(b"\n") if any(byte > 127 for byte in line)]
    valid = sum(1 for line in non_ascii if decodes(line, "utf-8"))
    if non_ascii and valid / len(non_ascii) >= 0.6:
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(trimmed, cp_isolation=["gb18030", "big5"]).best()
    return "big5" if best is not None and best.encoding == "big5" else "gb18030"


def printable(text: str) -> str:
    """Text as any database and JSON can hold it: bytes that did not decode shown as \\xNN, an
    unpaired surrogate as \\udNNN, NUL as \\x00. Header names (a bad byte in the header is no
    reason to lose the rows below it) and quarantined raw values go through it."""
    if not _UNSTORABLE.search(text):
        return text
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # an unpaired surrogate, not an undecodable byte
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text.replace("\x00", "\\x00")


_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")


def sniff_content(path: Path, fmt: str) -> None:
    """Refuse a file whose bytes are not of its format, with what it seems to be instead: an Excel
    file renamed .csv reads as one row of binary, a CSV renamed .xlsx is not a zip."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    is_zip = head.startswith(b"PK\x03\x04")
    if fmt == "xlsx" and not is_zip:
        raise InputError(
            f"{path} is not an Excel .xlsx file (its bytes are not a zip); rename it .csv or pass --format csv"
        )
    if fmt != "xlsx" and is_zip:
        raise InputError(f"{path} is a zip file (an Excel workbook renamed?); rename it .xlsx or pass --format xlsx")
    if fmt != "xlsx" and head and b"\x00" in head and not head.startswith(tuple(bom for bom, _ in _BOMS)):
        binary = sum(1 for byte in head if byte < 9 or 13 < byte < 32) / len(head)
        if binary > 0.1:
            raise InputError(
                f"{path} looks like a binary file, not {fmt.upper()} text; check that it is the export you meant"
            )


def decodes(data: bytes, encoding: str) -> bool:
    """Whether ``data`` is valid text in ``encoding``."""
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


class _CountingReader(io.RawIOBase):
    """Wraps a binary file and reports how many bytes have been read (for the progress bar)."""

    def __init__(self, raw: io.BufferedReader, total: int, on_progress: ProgressCallback | None) -> None:
        self._raw, self._total, self._on_progress, self.done = raw, total, on_progress, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self._raw.readinto(buffer)
        self.done += count or 0
        if self._on_progress is not None:
            self._on_progress(self.done, self._total)
        return count or 0


def read_rows(
    path: Path, *, fmt: str, encoding: str, on_progress: ProgressCallback | None = None, sheet: str | None = None
) -> Iterator[RawRow]:
    """Stream the rows of ``path``; undecodable bytes become surrogates the validator rejects.
    ``sheet``: which sheet of a workbook (needed when it has more than one)."""
    if fmt == "xlsx":
        yield from _xlsx_rows(path, on_progress, sheet)
        return
    total = path.stat().st_size
    with path.open("rb") as binary:
        counting = io.BufferedReader(_CountingReader(binary, total, on_progress), buffer_size=1 << 16)
        if fmt == "json":
            yield from _json_array_rows(path, counting)
            return
        text = io.TextIOWrapper(counting, encoding=encoding, errors="surrogateescape", newline="")
        if fmt == "jsonl":
            yield from _jsonl_rows(text)
        else:
            yield from _delimited_rows(path, text, "\t" if fmt == "tsv" else ",")


def _delimited_rows(path: Path, text: io.TextIOWrapper, delimiter: str) -> Iterator[RawRow]:
    if csv.field_size_limit() < _FIELD_LIMIT:  # set when reading, not as a side effect of importing
        csv.field_size_limit(_FIELD_LIMIT)
    reader = csv.reader(text, delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise FeedbackFileError(str(path), 1, "(header)", "the file is empty; the first row must name the columns")
    header = [printable(name.strip()) for name in header]
    yield from _records(reader, header, delimiter, start=2)


def _records(rows: Iterator[list[str]], header: list[str], delimiter: str, start: int) -> Iterator[RawRow]:
    width = len(header)
    number = start - 1
    for cells in rows:
        number += 1
        if not cells:
            continue
        swallowed = _swallowed_rows(cells, width, delimiter)
        if swallowed is not None:
            # A quote opened in this row is never closed: the csv reader read the rows after it as
            # one long cell. The row is quarantined, the lines it swallowed are read as rows again.
            raw = {f"column_{i + 1}": value.split("\n", 1)[0] for i, value in enumerate(cells)}
            reason = f"a quote opened in this row is never closed; the {len(swallowed)} rows after it were read apart"
            yield RawRow(number, raw, ("(row)", reason))
            yield from _records(iter(swallowed), header, delimiter, start=number + 1)
            number += len(swallowed)
            continue
        if len(cells) != width:
            raw = {f"column_{i + 1}": value for i, value in enumerate(cells)}
            yield RawRow(number, raw, ("(row)", f"row has {len(cells)} columns, the header has {width}"))
            continue
        yield RawRow(number, dict(zip(header, cells, strict=True)))


def _swallowed_rows(cells: list[str], width: int, delimiter: str) -> list[list[str]] | None:
    """The rows a never-closed quote swallowed into one cell, or None when the cell is a real one.

    A comment may hold line breaks; it is taken for swallowed rows only when at least two of its
    lines, and four in five of them, parse as whole rows of the header's width."""
    for index, cell in enumerate(cells):
        if "\n" not in cell:
            continue
        rest = delimiter.join([cell.split("\n", 1)[1], *cells[index + 1 :]])
        try:
            lines = [line for line in csv.reader(io.StringIO(rest, newline=""), delimiter=delimiter) if line]
        except csv.Error:
            continue  # the cell's later lines do not even parse as CSV: a real multi-line cell, not rows
        whole = sum(1 for line in lines if len(line) == width)
        if len(lines) >= 2 and whole >= 0.8 * len(lines):
            return lines
    return None


def _jsonl_rows(text: io.TextIOWrapper) -> Iterator[RawRow]:
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RawRow(number, {"line": line.rstrip("\r\n")[:10_000]}, ("(line)", f"not valid JSON: {exc.msg}"))
            continue
        except UnicodeEncodeError:
            yield RawRow(number, {"line": line.rstrip("\r\n")[:10_000]}, ("(line)", "contains invalid bytes"))
            continue
        if not isinstance(value, dict):
            yield RawRow(number, {"line": line.rstrip("\r\n")[:10_000]}, ("(line)", "expected a JSON object"))
            continue
        yield RawRow(number, value)


def _json_array_rows(path: Path, binary: io.BufferedReader) -> Iterator[RawRow]:
    """The objects of a JSON array, or the one object a file holds (one record).

    A broken or cut-off array yields every complete element before the break, then the break as a
    quarantined row, so the import keeps them all and says where the file stops making sense.
    """
    import ijson

    first = binary.peek(64)[:64].lstrip()
    if first.startswith(b"{"):
        try:
            value = json.loads(binary.read().decode("utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise FeedbackFileError(str(path), None, "(file)", f"not valid JSON: {exc}") from exc
        yield RawRow(1, value)
        return
    number = 0
    try:
        for number, value in enumerate(ijson.items(binary, "item", use_float=True), start=1):
            if isinstance(value, dict):
                yield RawRow(number, value)
            else:
                yield RawRow(number, {"value": value}, ("(element)", "expected a JSON object"))
    except ijson.JSONError as exc:
        yield RawRow(number + 1, {"error": str(exc)[:500]}, ("(element)", f"the JSON array breaks off here ({exc})"))


FORMULA_CHECK_ROWS = 1000  # rows checked for formulas Excel never calculated (their cells read empty)


def _pick_sheet(path: Path, workbook: Any, name: str | None) -> Any:
    """The sheet to read: the one named, or the only one; several and none named is an error that lists them."""
    names = workbook.sheetnames
    if name is not None:
        if name not in names:
            raise InputError(f"{path} has no sheet {name!r}; its sheets: {', '.join(names)}")
        return workbook[name]
    if len(names) > 1:
        raise InputError(
            f"{path} has {len(names)} sheets ({', '.join(names[:10])}); import one at a time with --sheet NAME"
        )
    return workbook.worksheets[0]


def _check_formulas(path: Path, sheet_name: str) -> None:
    """Refuse a sheet whose formulas have no saved values: openpyxl reads them as empty cells, and
    the rows would be imported without their scores or text, or rejected for the wrong reason."""
    from openpyxl import load_workbook

    formulas = load_workbook(path, read_only=True, data_only=False)
    values = load_workbook(path, read_only=True, data_only=True)
    try:
        written = formulas[sheet_name].iter_rows(max_row=FORMULA_CHECK_ROWS)
        shown = values[sheet_name].iter_rows(max_row=FORMULA_CHECK_ROWS, values_only=True)
        for cells, plain in zip(written, shown, strict=False):
            for cell, value in zip(cells, plain, strict=False):
                if isinstance(cell.value, str) and cell.value.startswith("=") and value is None:
                    raise InputError(
                        f"{path}, sheet {sheet_name!r}, cell {cell.coordinate}: the formula {cell.value[:40]} has no "
                        "calculated value saved; open and save the file in Excel (or export it as CSV), then import it"
                    )
    finally:
        formulas.close()
        values.close()


def _xlsx_rows(path: Path, on_progress: ProgressCallback | None, sheet_name: str | None = None) -> Iterator[RawRow]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = _pick_sheet(path, workbook, sheet_name)
        _check_formulas(path, sheet.title)
        rows = sheet.iter_rows(values_only=True)
        header_cells = next(rows, None)
        if not header_cells:
            raise FeedbackFileError(str(path), 1, "(header)", f"the sheet {sheet.title!r} is empty")
        header = ["" if cell is None else printable(str(cell).strip()) for cell in header_cells]
        total = sheet.max_row or 0
        for number, cells in enumerate(rows, start=2):
            if on_progress is not None and number % 1000 == 0:
                on_progress(number, total)
            if cells is None or all(cell is None for cell in cells):
                continue
            values = {name: cell for name, cell in zip(header, cells, strict=False) if name}
            yield RawRow(number, values)
    finally:
        workbook.close()
