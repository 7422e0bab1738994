"""An agency's name as written, normalised: the one normaliser behind the identity key
(analysis/agency.py, which also completes abbreviated provinces) and the cross-year rules'
same-organ comparison (validate/crossyear.py). Pure: no region tables here."""

from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[\s【】\[\]()（）]+")


def clean_name(name: str) -> str:
    """Full-width forms folded (NFKC), spaces and brackets dropped."""
    return _DROP.sub("", unicodedata.normalize("NFKC", name))


def normalised_name(name: str) -> str:
    """The cleaned name with 人民政府 written 政府 (both forms name the same organ)."""
    return clean_name(name).replace("人民政府", "政府")
