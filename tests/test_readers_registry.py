"""The input formats are one table (readers/formats.py): every format has a name for messages,
suffixes, a sniffing rule and a reader, and every format the schema names comes from one of them."""

from __future__ import annotations

from collections import Counter
from typing import get_args

from gongkai.model.report import SourceFormat
from gongkai.readers import READERS, sniff
from gongkai.readers.formats import FORMATS, MAGIC, SNIFFED


def test_every_format_is_complete() -> None:
    for fmt in FORMATS:
        assert fmt.label and fmt.suffixes, fmt
        assert all(s.startswith(".") and s == s.lower() for s in fmt.suffixes), fmt
        assert fmt.sniffed in SNIFFED and fmt.reader in READERS and fmt.produces, fmt


def test_no_suffix_names_two_formats() -> None:
    counts = Counter(s for fmt in FORMATS for s in fmt.suffixes)
    assert [s for s, n in counts.items() if n > 1] == []


def test_every_schema_format_has_a_reader() -> None:
    produced = {name for fmt in FORMATS for name in fmt.produces}
    assert set(get_args(SourceFormat)) <= produced


def test_every_magic_is_what_sniffing_says() -> None:
    for magic, kind in MAGIC:
        assert sniff(magic + b"\0" * 16, "x.bin") == kind
    assert {kind for _m, kind in MAGIC} | {"html", "text"} == SNIFFED
