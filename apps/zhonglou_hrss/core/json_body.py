"""JSON from outside (API bodies, uploaded files) read with a depth limit.

Python's ``json`` parser recurses once per nested array or object: a body of
a thousand ``[`` (a few kilobytes, no sign-in needed) ran it out of stack and
the site answered 500 (issue 10 item 4). The nesting is measured on the text
first, without recursion, and a text nested deeper than ``MAX_DEPTH`` is
refused before ``json`` reads it.

Nothing the bureau's clients send comes near the limit: an API body is an
object holding lists of objects (3 levels), a GeoJSON boundary 8.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32

# Everything but brackets is dropped, and ``{}`` counted as ``[]``: the depth is the same.
_BRACKETS_ONLY = (bytes.maketrans(b"{}", b"[]"), bytes(b for b in range(256) if b not in b"[]{}"))


class TooDeep(ValueError):
    """The JSON text nests arrays and objects deeper than allowed."""

    def __init__(self, max_depth: int = MAX_DEPTH):
        self.max_depth = max_depth
        super().__init__(f"JSON 嵌套层数过多（最多 {max_depth} 层）")


def nested_deeper_than(text: str | bytes, max_depth: int = MAX_DEPTH) -> bool:
    """Whether the arrays and objects of ``text`` (outside strings) nest deeper
    than ``max_depth``. No recursion and no regular expression, only byte
    operations done in C: escaped backslashes and quotes are dropped (then
    every quote left opens or closes a string), the strings cut out, the
    brackets kept, and the innermost pairs removed, one level a pass.

    Exact for well-formed JSON; for broken text it may say "deeper" where
    ``json`` would say "malformed" — refused either way."""
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    if data.count(b"[") + data.count(b"{") <= max_depth:  # cannot hold more levels
        return False
    data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = b"".join(data.split(b'"')[::2]).translate(*_BRACKETS_ONLY)
    for _ in range(max_depth):
        brackets = brackets.replace(b"[]", b"")
        if not brackets:
            return False
    return True


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH, **kwargs) -> Any:
    """``json.loads`` that raises ``TooDeep`` (a ValueError) for text nested
    deeper than ``max_depth`` instead of running out of stack."""
    if isinstance(text, (bytes, bytearray)):
        text = text.decode(json.detect_encoding(text))
    if nested_deeper_than(text, max_depth):
        raise TooDeep(max_depth)
    try:
        return json.loads(text, **kwargs)
    except RecursionError:  # should the check ever miss: still a refusal, never a crash
        raise TooDeep(max_depth) from None
