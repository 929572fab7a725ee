"""Uploads checked by what they are, not by their name — what more than one
app accepts: a scan or photo of a paper document (JPG/PNG re-encoded without
EXIF) or a plain PDF without active content. The portal's stamped job-fair
form and credit's evidence files both come through ``check_scan``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from zhonglou_hrss.core.images import PhotoError, sanitize_photo

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
# A PDF that runs something when opened is not a scan of a document.
# (Names in compressed object streams escape this check; the file is served as a
# download with nosniff either way, never shown inline from our origin as HTML.)
PDF_ACTIVE_CONTENT = (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/Launch", b"/EmbeddedFile", b"/RichMedia")


@dataclass
class StoredFile:
    """An upload that passed its checks: the bytes to keep and how to serve them."""

    name: str
    content: bytes
    suffix: str
    content_type: str


def check_scan(upload, *, max_bytes: int, hint: str, default_name: str = "文件",
               active_message: str = "该 PDF 含有脚本、自动操作或嵌入文件，不能上传；请上传扫描件") -> StoredFile:
    """A photo or scan (re-encoded JPEG, no EXIF) or a plain PDF of at most
    ``max_bytes``; PhotoError (Chinese, ending with ``hint``) for anything else."""
    name = Path(getattr(upload, "name", "") or default_name).name[-200:]
    suffix = Path(name).suffix.lower()
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise PhotoError(f"文件过大（{size / 1024 / 1024:.1f} MB）：{hint}")
    head = upload.read(5)
    upload.seek(0)
    if suffix == ".pdf" or head.startswith(b"%PDF-"):
        content = upload.read(max_bytes + 1)
        if len(content) > max_bytes:
            raise PhotoError(f"文件过大：{hint}")
        if not content.startswith(b"%PDF-") or b"%%EOF" not in content[-8192:]:
            raise PhotoError("该文件不是完整的 PDF，请重新扫描或导出后上传")
        if any(marker in content for marker in PDF_ACTIVE_CONTENT):
            raise PhotoError(active_message)
        return StoredFile(Path(name).stem + ".pdf", content, ".pdf", "application/pdf")
    if suffix not in IMAGE_SUFFIXES and suffix:
        raise PhotoError(f"“{name}”的类型不支持：{hint}")
    try:
        return StoredFile(Path(name).stem + ".jpg", sanitize_photo(upload), ".jpg", "image/jpeg")
    except PhotoError as exc:
        raise PhotoError(f"{exc}（{hint}）") from None
