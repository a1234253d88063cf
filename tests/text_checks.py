"""What a person must never read (issue 16): a raw identifier, an English sentence on a Chinese
page, a Python float repr. Pure functions over text, shared by the page, PDF and XLSX walks."""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["problems", "visible_text"]

# Elements whose text is code shown as code (an enterprise's registered code, an API path), or
# not read at all.
_EXEMPT = {"code", "kbd", "samp", "script", "style", "template", "svg"}
_READ_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}

# snake_case or dotted ids (``limited_progress``, ``sectors.26.fuel_factor_change``)
RAW_ID = re.compile(
    r"(?<![\w./-])[a-z][a-z0-9]*(?:[_.][a-z0-9]+)*_[a-z0-9]+(?:[_.][a-z0-9]+)*(?![\w/-])"
)
# Python's reprs of values: long float tails, scientific notation, None/True/False/nan; and
# the unit registry's "dimensionless", which a reader should see as nothing
FLOAT_REPR = re.compile(r"(?<![\w.])\d+\.\d{6,}(?!\w)|(?<![\w.])\d+(?:\.\d+)?e[-+]?\d+(?!\w)")
PY_LITERAL = re.compile(r"(?<![\w-])(?:None|True|False|nan|NaN|inf|dimensionless)(?![\w-])")
# Three or more English words in a row: a sentence or a phrase left untranslated.
ENGLISH_RUN = re.compile(r"(?<![\w/.-])[A-Za-z]{2,}(?:[ ,'’-]+[A-Za-z]{2,}){2,}")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        exempt = any(t in _EXEMPT for t in self._stack) or tag in _EXEMPT
        if not exempt:
            for name, value in attrs:
                if name in _READ_ATTRIBUTES and value:
                    self.parts.append(value)
        if tag not in _VOID:
            self._stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not any(t in _EXEMPT for t in self._stack) and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    """The texts of ``html`` a person reads: element text and tooltips, not code or scripts.

    >>> visible_text('<p title="提示">总览 <code>demo_coal_power_01</code></p><script>x=1</script>')
    ['提示', '总览']
    """
    parser = _Text()
    parser.feed(html)
    return parser.parts


def problems(texts: list[str], language: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """Each raw id, Python literal, float repr and (in Chinese) English run in ``texts``, quoted
    with its text; ``allowed`` are fragments that may appear (product names, unit symbols).

    >>> problems(["进展有限 limited_progress", "已完成"], "zh")
    ["raw id 'limited_progress' in '进展有限 limited_progress'"]
    >>> problems(["0.30069999999999997"], "en")
    ["float repr '0.30069999999999997' in '0.30069999999999997'"]
    >>> problems(["moving the right way"], "zh")
    ["English 'moving the right way' in 'moving the right way'"]
    >>> problems(["moving the right way"], "en")
    []
    """
    found: list[str] = []
    for text in texts:
        for pattern, what in (
            (RAW_ID, "raw id"),
            (FLOAT_REPR, "float repr"),
            (PY_LITERAL, "Python literal"),
        ):
            for match in pattern.finditer(text):
                if match.group(0) not in allowed:
                    found.append(f"{what} {match.group(0)!r} in {text[:120]!r}")
        if language == "zh":
            for match in ENGLISH_RUN.finditer(text):
                if not any(a in match.group(0) for a in allowed):
                    found.append(f"English {match.group(0)!r} in {text[:120]!r}")
    return found
