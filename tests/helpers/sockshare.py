#!/usr/bin/python3
# sockshare.py - sockets of the protocols that share TCP's and UDP's
# counters, for tests/sharing.sh (in its own network namespace): UDP-Lite
# receivers (IPv4 and IPv6) with unread datagrams, and, when the kernel has
# MPTCP, one loopback MPTCP connection with unread data.  Prints
# "ready udplite=yes|no mptcp=yes|no" and holds them until stdin closes.
# SPDX-License-Identifier: GPL-2.0-or-later
import socket
import sys

IPPROTO_MPTCP = 262
held = []


def udplite():
    try:
        for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET, "127.0.0.1"),
                          (socket.AF_INET6, "::1")):
            r = socket.socket(fam, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE)
            r.bind((addr, 0))
            s = socket.socket(fam, socket.SOCK_DGRAM, socket.IPPROTO_UDPLITE)
            for _ in range(4):
                s.sendto(b"x" * 1000, r.getsockname())
            held.extend((r, s))
    except OSError:
        return False
    return True


def mptcp():
    try:
        lsn = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP)
        lsn.bind(("127.0.0.1", 0))
        lsn.listen(4)
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP)
        c.connect(lsn.getsockname())
        a, _ = lsn.accept()
        c.sendall(b"y" * 60000)
        held.extend((lsn, c, a))
    except OSError:
        return False
    return True


u = udplite()
m = mptcp()
print("ready udplite=%s mptcp=%s" % ("yes" if u else "no", "yes" if m else "no"), flush=True)
sys.stdin.read()
