#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tpm-sniff.py LOG [--replay PCRS] [--policy SEALED]

What a sniffer on the TPM's bus sees of one boot, read from swtpm's log
(--log level=20 dumps every command): each TPM2_PCR_Extend, in order, with
its SHA-256 digest. For tests/e2e/e2e-tpm.sh.

  (default)         one line "pcr N extends K HEX" per PCR: the SHA-256
                    values those extends add up to
  --replay 8,9      the extends of those PCRs, one "N HEX" line each, in
                    order: what pcr-replay.c extends again
  --policy SEALED   the PolicyPCR digest the values give for the PCRs a
                    ledger's .sealed file is bound to, against the sealed
                    object's authPolicy: "policy PCRS HEX sealed HEX
                    match|MISMATCH" (exit 1 on a mismatch)
"""
import hashlib
import re
import struct
import sys

SHA256 = 0x000B
DIGEST_SIZE = {0x0004: 20, 0x000B: 32, 0x000C: 48, 0x000D: 64, 0x0012: 32}


def commands(path):
    """The commands the TPM read, as bytes, from swtpm's hex dumps."""
    cur, reading = None, False
    for line in open(path, encoding="ascii", errors="replace"):
        if "SWTPM_IO_Read:" in line:
            if cur:
                yield bytes(cur)
            cur, reading = bytearray(), True
        elif "SWTPM_IO_Write:" in line or not re.fullmatch(r"\s*([0-9A-Fa-f]{2}\s+)*[0-9A-Fa-f]{2}\s*", line):
            if reading and cur:
                yield bytes(cur)
            cur, reading = None, False
        elif reading:
            cur.extend(bytes.fromhex(line))
    if reading and cur:
        yield bytes(cur)


def extends(path):
    for c in commands(path):
        if len(c) < 10:
            continue
        tag, _size, cc = struct.unpack_from(">HII", c, 0)
        if cc != 0x182 or tag != 0x8002:
            continue
        pcr, auth = struct.unpack_from(">II", c, 10)
        p = 18 + auth
        (count,) = struct.unpack_from(">I", c, p)
        p += 4
        for _ in range(count):
            (alg,) = struct.unpack_from(">H", c, p)
            size = DIGEST_SIZE[alg]
            if alg == SHA256:
                yield pcr, c[p + 2:p + 2 + size]
            p += 2 + size


def sealed_policy(path):
    pcrs = pub = None
    for line in open(path, encoding="ascii"):
        key, _, value = line.strip().partition(" ")
        if key == "pcrs":
            pcrs = value
        elif key == "sealed-public":
            pub = bytes.fromhex(value)
    # TPM2B_PUBLIC: size, then TPMT_PUBLIC: type, nameAlg, objectAttributes, authPolicy
    (n,) = struct.unpack_from(">H", pub, 10)
    return pcrs, pub[12:12 + n]


def policy_pcr(values, selected):
    select = bytearray(3)
    for i in selected:
        select[i // 8] |= 1 << (i % 8)
    sel = struct.pack(">IHB", 1, SHA256, 3) + bytes(select)
    pcr_digest = hashlib.sha256(b"".join(values.get(i, bytes(32)) for i in sorted(selected))).digest()
    return hashlib.sha256(bytes(32) + struct.pack(">I", 0x17F) + sel + pcr_digest).digest()


def main(argv):
    log, replay, sealed = argv[1], None, None
    args = argv[2:]
    while args:
        opt, val, args = args[0], args[1], args[2:]
        if opt == "--replay":
            replay = {int(x) for x in val.split(",")}
        elif opt == "--policy":
            sealed = val
        else:
            raise ValueError(f"unknown option {opt}")
    ext = list(extends(log))
    if replay is not None:
        for pcr, d in ext:
            if pcr in replay:
                print(pcr, d.hex())
        return 0
    values, count = {}, {}
    for pcr, d in ext:
        values[pcr] = hashlib.sha256(values.get(pcr, bytes(32)) + d).digest()
        count[pcr] = count.get(pcr, 0) + 1
    for i in sorted(values):
        print(f"pcr {i} extends {count[i]} {values[i].hex()}")
    if sealed is None:
        return 0
    text, auth = sealed_policy(sealed)
    selected = [int(x) for x in text.split(":", 1)[1].split(",")]
    want = policy_pcr(values, selected)
    ok = want == auth
    print(f"policy {text} {want.hex()} sealed {auth.hex()} {'match' if ok else 'MISMATCH'}")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (OSError, ValueError, KeyError, IndexError, struct.error) as e:
        print(f"tpm-sniff: {e}", file=sys.stderr)
        sys.exit(1)
