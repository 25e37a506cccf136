"""Turns the raw /dev/fb0 copy the guest wrote to its virtio disk into an image and decodes
the QR code on it with zbarimg (a real decoder, as a customer's phone would)."""

import subprocess
from pathlib import Path


def to_ppm(raw_path, ppm_path, width, height, bpp, stride):
    """XRGB8888 (what the bochs DRM driver's fbdev emulation gives) or RGB565 to PPM."""
    data = Path(raw_path).read_bytes()
    if len(data) < stride * height:
        raise ValueError("frame copy has %d bytes, need %d" % (len(data), stride * height))
    rgb = bytearray(width * height * 3)
    for y in range(height):
        row = data[y * stride:y * stride + width * (bpp // 8)]
        out = memoryview(rgb)[y * width * 3:(y + 1) * width * 3]
        if bpp == 32:  # little-endian B G R X
            out[0::3], out[1::3], out[2::3] = row[2::4], row[1::4], row[0::4]
        elif bpp == 16:
            for x in range(width):
                p = row[2 * x] | row[2 * x + 1] << 8
                out[3 * x:3 * x + 3] = bytes(((p >> 11) << 3, ((p >> 5) & 63) << 2, (p & 31) << 3))
        else:
            raise ValueError("unsupported framebuffer depth %d" % bpp)
    Path(ppm_path).write_bytes(b"P6\n%d %d\n255\n" % (width, height) + bytes(rgb))


def decode_qr(image_path):
    """The QR payloads zbarimg finds (empty list if none)."""
    r = subprocess.run(["zbarimg", "--quiet", "--raw", str(image_path)],
                       capture_output=True, text=True)
    return [line for line in r.stdout.splitlines() if line]


def ink_fraction(ppm_path):
    """Share of dark pixels: tells a blank frame (nothing rendered) from a bad decode."""
    data = Path(ppm_path).read_bytes()
    pixels = data[data.index(b"255\n") + 4:]
    dark = sum(1 for i in range(0, len(pixels), 3 * 97) if pixels[i] < 128)
    return dark / max(1, len(pixels) // (3 * 97))
