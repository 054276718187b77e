#!/usr/bin/env python3
# sockchurn.py - test helper: opens and closes loopback TCP connections
# (with up to MAXBYTES queued unread on each) and UDP sockets (a datagram
# queued to itself), MAXCONN of each at a time, until the file STOPFILE
# exists.  Connections are closed with a reset (SO_LINGER 0): no TIME-WAIT
# piles up, so the number of sockets a dump sees is the same from the first
# round on (a soak measures memory against it).  For the churn and soak
# tests.
#   sockchurn.py STOPFILE [MAXCONN [MAXBYTES]]
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import random
import socket
import struct
import sys
import time

RESET = struct.pack("ii", 1, 0)

stop = sys.argv[1]
maxconn = int(sys.argv[2]) if len(sys.argv) > 2 else 16
maxbytes = int(sys.argv[3]) if len(sys.argv) > 3 else 30000
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(256)
srv.setblocking(False)
while not os.path.exists(stop):
    keep = []
    for i in range(maxconn):
        c = socket.create_connection(srv.getsockname())
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
        c.send(b"x" * random.randint(1, maxbytes))
        keep.append(c)
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        u.sendto(b"y" * 700, u.getsockname())
        keep.append(u)
    try:
        while True:
            a = srv.accept()[0]
            a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)
            keep.append(a)
    except BlockingIOError:
        pass
    time.sleep(random.uniform(0.005, 0.05))
    for s in keep:
        s.close()
