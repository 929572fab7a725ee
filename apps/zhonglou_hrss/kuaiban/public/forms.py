"""Forms of the public phone pages (R-KB-01 registration, progress look-up).

These forms only read what was posted and check the captcha. Every rule about
the case itself lives in ``services.registration`` (the one authority), so the
page, the desk and the API refuse exactly the same things.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from zhonglou_hrss.core.captcha import CaptchaField

from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services.registration import RegistrationInput


TEXT_FIELDS = ("reporter_name", "reporter_id_number", "reporter_phone", "respondent_name", "reason", "grid",
               "demand")
COMPANION_FIELDS = ("name", "id_number", "phone")
MAX_COMPANIONS_ON_PAGE = 50  # rows the page offers (the service has its own limit and says so)
MAX_COMPANION_ROWS = 60  # rows read from a post: bounds the work, lets the service report "too many"


class CaptchaForm(forms.Form):
    captcha = CaptchaField(label="验证码")


@dataclass
class CompanionRow:
    """One companion row as typed (blank rows are dropped)."""

    posted_index: int  # position among the rows on the page (for errors)
    name: str
    id_number: str
    phone: str


@dataclass
class PostedReport:
    values: dict[str, str]
    companions: list[CompanionRow]
    photo: object | None

    def registration_input(self, *, with_photo: bool = True) -> RegistrationInput:
        return RegistrationInput(
            reporter_name=self.values["reporter_name"],
            reporter_id_number=self.values["reporter_id_number"],
            reporter_phone=self.values["reporter_phone"],
            companions=[CompanionInput(name=c.name, id_number=c.id_number, phone=c.phone) for c in self.companions],
            respondent_name=self.values["respondent_name"],
            reason=self.values["reason"],
            grid=self.values["grid"],
            demand=self.values["demand"],
            photo=self.photo if with_photo else None,
        )

    def page_errors(self, errors: dict[str, list[str]]) -> dict[str, list[str]]:
        """The service's keys ("companions[0].id_number" = the first kept
        companion) turned into the page's rows ("companions[2].id_number" when
        two blank rows came first)."""
        out: dict[str, list[str]] = {}
        for key, messages in errors.items():
            if key.startswith("companions[") and "]" in key:
                index, _, rest = key[len("companions["):].partition("]")
                try:
                    row = self.companions[int(index)]
                    key = f"companions[{row.posted_index}]{rest}"
                except (ValueError, IndexError):
                    pass
            out.setdefault(key, []).extend(messages)
        return out


def read_report(post, files) -> PostedReport:
    values = {name: (post.get(name) or "").strip() for name in TEXT_FIELDS}
    values["demand"] = (post.get("demand") or "").strip()
    columns = [post.getlist(f"companion_{f}")[:MAX_COMPANION_ROWS] for f in COMPANION_FIELDS]
    rows = []
    for i in range(max((len(c) for c in columns), default=0)):
        name, id_number, phone = ((col[i] if i < len(col) else "").strip() for col in columns)
        if name or id_number or phone:
            rows.append(CompanionRow(posted_index=i, name=name, id_number=id_number, phone=phone))
    photo = files.get("photo")
    if photo is not None and not photo.name and not photo.size:
        photo = None  # an empty file input
    return PostedReport(values=values, companions=rows, photo=photo)


class ProgressForm(forms.Form):
    number = forms.CharField(label="事件编号", max_length=20, error_messages={"required": "请填写事件编号"})
    phone = forms.CharField(label="登记时填写的手机号", max_length=20, error_messages={"required": "请填写手机号"})

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper().replace(" ", "")
