"""PNG bytes of what an Agg canvas holds, from its public pixel buffer.

Explorers blit (see :class:`balkan_diplomacy.widgets.Explorer`): after a change only the
artists it moves are drawn over a saved background, so the picture exists only in the canvas's
buffer, never as a ``savefig`` call. This writes that buffer as a PNG file.
"""

from __future__ import annotations

import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def canvas_png(canvas) -> bytes:
    """PNG bytes of an Agg canvas's pixels now (``canvas.buffer_rgba()``): each RGBA row with
    PNG's filter "none", deflated at zlib level 1 (about half the time of Pillow's encoder on
    these charts, for files within about 10% of its size). No timestamp: the same pixels give
    the same bytes."""
    width, height = canvas.get_width_height(physical=True)
    pixels = memoryview(canvas.buffer_rgba()).cast("B")
    stride = 4 * width
    if len(pixels) != stride * height:
        raise ValueError(f"canvas buffer holds {len(pixels)} bytes, expected {stride * height}")
    deflate = zlib.compressobj(1)
    idat = [
        deflate.compress(b"\x00" + pixels[row * stride : (row + 1) * stride])
        for row in range(height)
    ]
    idat.append(deflate.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return b"".join(
        [
            PNG_SIGNATURE,
            chunk(b"IHDR", header),
            chunk(b"IDAT", b"".join(idat)),
            chunk(b"IEND", b""),
        ]
    )


def chunk(tag: bytes, body: bytes) -> bytes:
    """One PNG chunk: length, tag, body and the CRC of tag and body."""
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))
