"""What an uploaded file is, decided from its bytes: PDF, JPEG or PNG, nothing else (DESIGN.md §5).

The name and the type the browser declares are not believed: a PDF starts with `%PDF-`, an image must
decode completely with Pillow. Images are encoded anew from their pixels, which leaves every metadata
block behind (EXIF with the camera's GPS position above all, XMP, PNG text chunks); the EXIF orientation
is applied to the pixels first, so a photo still stands upright. The file name is kept for people, cut
to its last path segment, and given the suffix of the type found.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from PIL import Image, ImageOps

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.exceptions import DomainError, FieldError, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _

T = m.AttachmentType
MAX_BYTES = 10 * 1000 * 1000  # 10 MB, as the page says
MAX_PIXELS = 50_000_000  # a photo of 8000 × 6000 fits; a decompression bomb does not
MAX_NAME = 200
SUFFIXES: dict[T, tuple[str, ...]] = {T.PDF: (".pdf",), T.JPEG: (".jpg", ".jpeg"), T.PNG: (".png",)}
_PILLOW_FORMATS = {"JPEG": T.JPEG, "PNG": T.PNG}
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f\"\\/]")


class FileTooLarge(DomainError):
    status_code = 413
    title = "Datei zu groß"


@dataclass(frozen=True, slots=True)
class CheckedFile:
    file_name: str
    media_type: T
    content: bytes


def too_large() -> FileTooLarge:
    message = _("Die Datei ist größer als 10 MB. Bitte eine kleinere Datei wählen (z. B. ein Foto verkleinern).")
    return FileTooLarge(message, errors=[FieldError("file", message)])


def check(file_name: str, content: bytes) -> CheckedFile:
    """The file as it is stored: its type from the content, images without metadata; else 413 or 422."""
    if len(content) > MAX_BYTES:
        raise too_large()
    if not content:
        raise _refused(_("Die Datei ist leer."))
    if content.startswith(b"%PDF-"):
        return CheckedFile(_name(file_name, T.PDF), T.PDF, content)
    media_type, cleaned = _image(content)
    return CheckedFile(_name(file_name, media_type), media_type, cleaned)


def _refused(message: str) -> ValidationFailed:
    return ValidationFailed([FieldError("file", message)], detail=message)


def _image(content: bytes) -> tuple[T, bytes]:
    unknown = _refused(_("Nur PDF-, JPEG- und PNG-Dateien können angehängt werden."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(content)) as image:
                media_type = _PILLOW_FORMATS.get(image.format or "")
                if media_type is None:
                    raise unknown
                if image.width * image.height > MAX_PIXELS:
                    raise _refused(_("Das Bild ist zu groß (mehr als 50 Megapixel)."))
                image.load()  # decodes every pixel: a truncated or forged file fails here
                upright = ImageOps.exif_transpose(image)
                return media_type, _encode(upright, media_type, image.info.get("icc_profile"))
    except ValidationFailed:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise unknown from exc


def _encode(image: Image.Image, media_type: T, icc_profile: bytes | None) -> bytes:
    """Only pixels (and the colour profile, which describes no one) go into the new file."""
    out = BytesIO()
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    if media_type is T.JPEG:
        if image.mode not in {"RGB", "L", "CMYK"}:
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=92, **extra)
    else:
        image.save(out, format="PNG", optimize=False, **extra)
    return out.getvalue()


def _name(file_name: str, media_type: T) -> str:
    """The last path segment without control characters or quotes, ending in the suffix of the type found."""
    base = _UNSAFE_IN_NAME.sub("", file_name.replace("\\", "/").rsplit("/", 1)[-1]).strip() or _("Anhang")
    path = PurePosixPath(base)
    suffixes = SUFFIXES[media_type]
    if path.suffix.lower() not in suffixes:
        known = any(path.suffix.lower() in s for s in SUFFIXES.values())
        base = (path.stem if known else base) + suffixes[0]
    if len(base) > MAX_NAME:
        stem, suffix = base[: -len(PurePosixPath(base).suffix)], PurePosixPath(base).suffix
        base = stem[: MAX_NAME - len(suffix)] + suffix
    return base
