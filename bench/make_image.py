"""A photo-like PNG for the media benchmark: WIDTH x HEIGHT, gradients with
fine deterministic noise (so that scaling and WebP have detail to work on),
written with the standard library only.

    python3 bench/make_image.py 2400 1600 havnen.png
"""

import struct
import sys
import zlib


def chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def main() -> None:
    width, height, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    seed = 0x2545F491
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            # xorshift32: the same image on every machine.
            seed ^= (seed << 13) & 0xFFFFFFFF
            seed ^= seed >> 17
            seed ^= (seed << 5) & 0xFFFFFFFF
            noise = (seed & 31) - 16
            r = min(255, max(0, x * 255 // width + noise))
            g = min(255, max(0, y * 255 // height + noise))
            b = min(255, max(0, (x + y) * 100 // (width + height) + 100 + noise))
            rows += bytes((r, g, b))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", header))
        out.write(chunk(b"IDAT", zlib.compress(bytes(rows), 6)))
        out.write(chunk(b"IEND", b""))


if __name__ == "__main__":
    main()
