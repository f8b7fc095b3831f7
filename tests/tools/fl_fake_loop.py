#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes synthetic looper captures (float WAV + sidecar) to test fl_wav_check
without JACK: channel 0 loops input frames [start, start+L) with a seam
crossfade, channel 1 a loop of k*L phase-locked (or shifted) with it.
usage: fl_fake_loop.py OUT.wav L START SEAM K SHIFT [CORRUPT_AT]"""
import math
import struct
import sys

P = 1 << 20


def ramp(n):
    # Same float as fl_ramp_value(): computed in double, rounded to float.
    return struct.unpack('<f', struct.pack('<f', ((n % P) + 1.0) / (P + 1.0) * 0.5))[0]


def main():
    out, L, start, seam, k, shift = sys.argv[1], *map(int, sys.argv[2:7])
    corrupt = int(sys.argv[7]) if len(sys.argv) > 7 else -1
    n = 1000 + 3 * k * L
    frames = []
    L2 = k * L
    for i in range(n):
        row = []
        for (length, off, s0) in ((L, 0, start), (L2, shift, start + 7 * L)):
            if i < 1000:
                row.append(0.0)
                continue
            pos = (i - 1000 - off) % length
            v = ramp(s0 + pos)
            if pos < seam:  # crossfade with the input after the loop end
                g = 0.5 - 0.5 * math.cos(math.pi * (pos + 0.5) / seam)
                v = g * v + (1.0 - g) * ramp(s0 + length + pos)
            row.append(v)
        if i == corrupt:
            row[0] += 1e-6
        frames.append(row)
    data = b''.join(struct.pack('<2f', *r) for r in frames)
    fmt = struct.pack('<HHIIHH', 3, 2, 48000, 48000 * 8, 8, 32)
    with open(out, 'wb') as f:
        f.write(b'RIFF' + struct.pack('<I', 4 + 8 + len(fmt) + 8 + len(data)) + b'WAVE')
        f.write(b'fmt ' + struct.pack('<I', len(fmt)) + fmt)
        f.write(b'data' + struct.pack('<I', len(data)) + data)
    with open(out + '.txt', 'w') as f:
        f.write('rate 48000\nperiod 256\ncapture_frame0 5000\nplay_frame0 5000\n')


if __name__ == '__main__':
    main()
