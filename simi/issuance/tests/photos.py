"""Pictures the verification tests upload: a QR seal as a PNG, and as a phone
would photograph it (a larger, blurred, JPEG-compressed scene, the code
turned and scaled, the camera's EXIF orientation set)."""

import io
import random

import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFilter

# EXIF Orientation = 6: the sensor's picture must be turned 90° clockwise to
# stand upright, as phones held upright write it.
_ORIENTATION = 0x0112


def qr_png(text: str, *, scale: int = 6) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def _scene(size: tuple[int, int], seed: int = 7) -> Image.Image:
    """A desk-like background: a paper colour with blotches and a few lines."""
    rng = random.Random(seed)
    scene = Image.new("RGB", size, (196, 186, 168))
    draw = ImageDraw.Draw(scene)
    for _ in range(60):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        r = rng.randrange(20, 200)
        shade = rng.randrange(150, 230)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(shade, shade - 8, shade - 20))
    for _ in range(25):
        y = rng.randrange(size[1])
        draw.line((0, y, size[0], y + rng.randrange(-40, 40)), fill=(90, 90, 90), width=3)
    return scene


def phone_photo(
    text: str,
    *,
    size: tuple[int, int] = (4000, 3000),
    angle: float = 17,
    scale: int = 11,
    exif_orientation: int | None = 6,
) -> bytes:
    """A JPEG of the QR code somewhere on a larger, busy, slightly blurred scene."""
    code = Image.open(io.BytesIO(qr_png(text, scale=scale))).convert("RGB")
    code = code.rotate(angle, expand=True, fillcolor=(240, 236, 228), resample=Image.BICUBIC)
    scene = _scene(size)
    scene.paste(code, (size[0] // 3, size[1] // 4))
    scene = scene.filter(ImageFilter.GaussianBlur(1.2))
    if exif_orientation:
        # The sensor's picture lies on its side; the tag says how to stand it up.
        scene = scene.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    if exif_orientation:
        exif[_ORIENTATION] = exif_orientation
    out = io.BytesIO()
    scene.save(out, "JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()


def photo_without_a_qr() -> bytes:
    out = io.BytesIO()
    _scene((1600, 1200), seed=3).save(out, "JPEG", quality=85)
    return out.getvalue()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)
