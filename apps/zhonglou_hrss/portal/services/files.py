"""Files people upload to the portal, checked by what they are, not by their
name: documents (news and job-fair attachments) and the stamped registration
form of a job fair (a scan: JPG/PNG re-encoded without EXIF, or a PDF without
active content). One place for what the portal accepts."""

from __future__ import annotations

from pathlib import Path

from zhonglou_hrss.core.images import PhotoError, sanitize_photo
from zhonglou_hrss.core.uploads import IMAGE_SUFFIXES, StoredFile, check_scan

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Accepted attachments: extension → (what the file must start with, content type).
ATTACHMENT_KINDS = {
    ".pdf": (b"%PDF-", "application/pdf"),
    ".docx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),
    ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/vnd.ms-excel"),
}
ATTACHMENT_HINT = "附件只能是 PDF、Word、Excel 或 JPG/PNG 图片，每个不超过20 MB"


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


def check_stamped_form(upload) -> StoredFile:
    """The stamped registration form: a photo or scan (re-encoded JPEG, no
    EXIF) or a plain PDF; PhotoError (Chinese) for anything else (core.uploads)."""
    return check_scan(upload, max_bytes=STAMPED_FORM_MAX_BYTES, hint=STAMPED_FORM_HINT, default_name="报名表",
                      active_message="该 PDF 含有脚本、自动操作或嵌入文件，不能作为报名表上传；请直接扫描纸质报名表")
