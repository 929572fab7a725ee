"""Photos from phones: checked by content, size-limited, re-encoded.

Re-encoding drops EXIF (GPS location, device) and anything hidden after the
image data; the orientation is applied first so the photo stays upright.
"""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 15 * 1024 * 1024  # modern phone photos are 3–8 MB
MAX_PIXELS = 60_000_000  # refuse decompression bombs
MAX_SIDE = 1920
ALLOWED_FORMATS = {"JPEG", "PNG", "MPO"}  # MPO: JPEG with extra frames, from some phones


class PhotoError(ValueError):
    pass


def sanitize_photo(uploaded) -> bytes:
    """Return a clean JPEG of the uploaded photo, or raise PhotoError (Chinese)."""
    size = getattr(uploaded, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise PhotoError(f"照片过大（{size / 1024 / 1024:.1f} MB），请上传不超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB 的照片")
    data = uploaded.read()
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoError(f"照片过大，请上传不超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB 的照片")
    if not data:
        raise PhotoError("照片文件为空，请重新拍摄或选择")
    try:
        with Image.open(BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise PhotoError("只支持 JPG 或 PNG 格式的照片")
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError("照片像素过大，请换一张照片")
            probe.verify()
        with Image.open(BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoError("无法识别该照片，请上传 JPG 或 PNG 格式的照片") from None
    return out.getvalue()
