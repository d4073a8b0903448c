"""The disk pattern of tests/guests/devices/devices.c (mode=write seed=N),
computed on the host: pattern(lba, i, seed) is word i of sector lba."""
import struct

M = 0xFFFFFFFF

def pattern(lba, i, seed):
    x = ((lba * 0x9E3779B1) & M) ^ (((i + 1) * 0x85EBCA77) & M) ^ ((seed * 0xC2B2AE3D) & M)
    x ^= x >> 15
    x = (x * 0x2C1B3C6D) & M
    return (x ^ (x >> 16)) & 0xFFFF

def sector(lba, seed):
    return struct.pack('<256H', *(pattern(lba, i, seed) for i in range(256)))

def image(sectors, seed):
    return b''.join(sector(lba, seed) for lba in range(sectors))
