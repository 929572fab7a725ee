"""Files people upload to the portal, checked by what they are, not by their
name: documents (news and job-fair attachments) and the stamped registration
form of a job fair (a scan: JPG/PNG re-encoded without EXIF, or a PDF without
active content). One place for what the portal accepts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zhonglou_hrss.core.images import PhotoError, sanitize_photo

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Accepted attachments: extension → (what the file must start with, content type).
ATTACHMENT_KINDS = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),
    ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/vnd.ms-excel"),
}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
ATTACHMENT_HINT = "附件只能是 PDF、Word、Excel 或 JPG/PNG 图片，每个不超过20 MB"


@dataclass
class StoredFile:
    """An upload that passed its checks: the bytes to keep and how to serve them."""

    name: str
    content: bytes
    suffix: str
    content_type: str


def check_attachment(upload) -> StoredFile:
    """An attachment's bytes, checked by what they are (not by their name); images re-encoded."""
    name = Path(getattr(upload, "name", "") or "附件").name[-200:]
    suffix = Path(name).suffix.lower()
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_ATTACHMENT_BYTES:
        raise PhotoError(f"“{name}”过大：{ATTACHMENT_HINT}")
    if suffix in IMAGE_SUFFIXES:
        try:
            return StoredFile(Path(name).stem + ".jpg", sanitize_photo(upload), ".jpg", "image/jpeg")
        except PhotoError as exc:
            raise PhotoError(f"“{name}”：{exc}") from None
    kind = ATTACHMENT_KINDS.get(suffix)
    if kind is None:
        raise PhotoError(f"“{name}”的类型不支持：{ATTACHMENT_HINT}")
    content = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise PhotoError(f"“{name}”过大：{ATTACHMENT_HINT}")
    if not content.startswith(kind[0]):
        raise PhotoError(f"“{name}”的内容与扩展名不符（不是真正的{suffix[1:].upper()}文件）")
    return StoredFile(name, content, suffix, kind[1])


STAMPED_FORM_MAX_BYTES = 10 * 1024 * 1024
STAMPED_FORM_HINT = "盖章报名表请上传扫描件或照片：JPG、PNG 或 PDF，不超过10 MB"
# A PDF that runs something when opened is not a scan of a form.
# (Names in compressed object streams escape this check; the file is served as a
# download with nosniff either way, never shown inline from our origin as HTML.)
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/Launch", b"/EmbeddedFile", b"/RichMedia")


def check_stamped_form(upload) -> StoredFile:
    """The stamped registration form: a photo or scan (re-encoded JPEG, no
    EXIF) or a plain PDF; PhotoError (Chinese) for anything else."""
    name = Path(getattr(upload, "name", "") or "报名表").name[-200:]
    suffix = Path(name).suffix.lower()
    size = getattr(upload, "size", None)
    if size is not None and size > STAMPED_FORM_MAX_BYTES:
        raise PhotoError(f"文件过大（{size / 1024 / 1024:.1f} MB）：{STAMPED_FORM_HINT}")
    head = upload.read(5)
    upload.seek(0)
    if suffix == ".pdf" or head.startswith(b"%PDF-"):
        content = upload.read(STAMPED_FORM_MAX_BYTES + 1)
        if len(content) > STAMPED_FORM_MAX_BYTES:
            raise PhotoError(f"文件过大：{STAMPED_FORM_HINT}")
        if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-8192:]:
            raise PhotoError("该文件不是完整的 PDF，请重新扫描或导出后上传")
        if any(marker in content for marker in PDF_ACTIVE_CONTENT):
            raise PhotoError("该 PDF 含有脚本、自动操作或嵌入文件，不能作为报名表上传；请直接扫描纸质报名表")
        return StoredFile(Path(name).stem + ".pdf", content, ".pdf", "application/pdf")
    if suffix not in IMAGE_SUFFIXES and suffix:
        raise PhotoError(f"“{name}”的类型不支持：{STAMPED_FORM_HINT}")
    try:
        return StoredFile(Path(name).stem + ".jpg", sanitize_photo(upload), ".jpg", "image/jpeg")
    except PhotoError as exc:
        raise PhotoError(f"{exc}（{STAMPED_FORM_HINT}）") from None
