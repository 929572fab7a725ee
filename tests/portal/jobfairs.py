"""Job-fair helpers of the portal tests: a fair made through the service, a
complete registration input, files for the stamped form."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests.kuaiban.conftest import id_number_for
from zhonglou_hrss.portal.services.jobfairs import (
    AttendeeInput,
    FairInput,
    PositionInput,
    RegistrationInput,
    save_fair,
    set_registration_open,
)


def make_fair(actor, n: int = 1, *, days_ahead: int = 14, is_open: bool = True, name: str = ""):
    fair = save_fair(actor=actor, data=FairInput(name=name or f"钟楼区第{n}届人才招聘会",
                                                 date=timezone.localdate() + timedelta(days=days_ahead),
                                                 venue="钟楼区人力资源市场"))
    if is_open:
        fair = set_registration_open(actor=actor, fair_id=fair.pk, is_open=True)
    return fair


def attendee(n: int = 1, **overrides) -> AttendeeInput:
    values = dict(name=f"参会人{n}", gender="male" if n % 2 else "female", title="人事专员",
                  phone=f"1370000{n:04d}", id_number=id_number_for(500 + n))
    values.update(overrides)
    return AttendeeInput(**values)


def position(n: int = 1, **overrides) -> PositionInput:
    values = dict(title=f"岗位{n}", count=n + 1, education="bachelor", major="机械类", description="负责设备维护",
                  salary_min=5000, salary_max=8000)
    values.update(overrides)
    return PositionInput(**values)


def registration_input(fair, *, attendees: int | list = 1, positions: int | list = 2,
                       **overrides) -> RegistrationInput:
    """A complete registration; ``attendees``/``positions``: how many, or the rows themselves."""
    values = dict(fair_id=fair.pk, contact_name="周联系", contact_phone="13912345678",
                  introduction="我公司专业生产新能源汽车零部件，诚聘英才。",
                  attendees=attendees if isinstance(attendees, list) else [attendee(i + 1) for i in range(attendees)],
                  positions=positions if isinstance(positions, list) else [position(i + 1) for i in range(positions)])
    values.update(overrides)
    return RegistrationInput(**values)


def jpeg_with_exif(name: str = "报名表.jpg") -> SimpleUploadedFile:
    image = Image.new("RGB", (40, 30), "white")
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # Make
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def small_pdf(name: str = "报名表.pdf", body: bytes = b"") -> SimpleUploadedFile:
    content = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n" + body + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")
