"""Keyword search over a list (the desk's search box, the API's ``q``), one
rule for every list: the words typed are looked for inside the named text
columns; a whole USCC matches its column exactly; a whole ID-card number or
mobile number matches the keyed hash of the encrypted column (the ciphertext
itself cannot be searched), so personal data is found without being stored
in clear."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from zhonglou_hrss.core import pii


def keyword_q(text: str, *, contains: Iterable[str] = (), uscc: str = "", id_card_column: str = "",
              mobile_column: str = "", extra: Q | None = None) -> Q:
    text = (text or "").strip()
    q = Q(pk__in=[])
    if not text:
        return q
    for column in contains:
        q |= Q(**{f"{column}__icontains": text})
    if uscc:
        q |= Q(**{uscc: text.upper()})
    for kind, column in ((pii.ID_CARD, id_card_column), (pii.MOBILE, mobile_column)):
        digest = pii.pii_hash(kind, text) if column else ""
        if digest:
            q |= Q(**{column: digest})
    if extra is not None:
        q |= extra
    return q
