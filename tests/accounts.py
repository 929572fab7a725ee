"""Enterprise accounts for tests (core.services.accounts, as a company registers)."""

from __future__ import annotations

from tests.conftest import PASSWORD
from zhonglou_hrss.core.services.accounts import RegistrationInput
from zhonglou_hrss.core.validators import uscc_check_char


def uscc(n: int, *, valid: bool = True) -> str:
    """A made-up USCC of Zhonglou (320404) whose check digit is right (or not)."""
    body = f"91320404{n:09d}"
    check = uscc_check_char(body)
    if not valid:
        check = "0" if check != "0" else "1"
    return body + check


def registration(n: int = 1, **overrides) -> RegistrationInput:
    values = dict(username=f"ent{n}", password=PASSWORD, uscc=uscc(n), name=f"常州测试{n}号有限公司", industry="C",
                  address="常州市钟楼区测试路1号", industrial_chain="new_energy", profile="一家测试企业",
                  contact_name="周联系", contact_phone=f"139{n:08d}")
    values.update(overrides)
    return RegistrationInput(**values)


def register_body(n: int = 1, **overrides) -> dict:
    data = registration(n, **overrides)
    return {k: getattr(data, k) for k in ("username", "password", "uscc", "name", "industry", "address",
                                          "industrial_chain", "profile", "contact_name", "contact_phone")} | (
        {"confirm_uscc": data.confirm_uscc} if data.confirm_uscc else {})
