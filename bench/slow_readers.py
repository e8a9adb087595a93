#!/usr/bin/env python3
"""The attack of bench/slow-readers.sh (issue 15, point 4): clients that send
requests for the Atom feed and never read the answers, while a visitor asks
for the front page every half second on a new connection.

    slow_readers.py PORT SERVER_PID CONNECTIONS REQUESTS SECONDS

Opens CONNECTIONS connections to 127.0.0.1:PORT (each with a 4 KB receive
buffer), sends REQUESTS pipelined `GET /nyheder/feed.atom` on each and reads
nothing. Then, for SECONDS, times a visitor's `GET /` (5 s timeout) every
half second and counts the server's open file descriptors. At the end it
finds out which attacking connections the server has closed (reading what
is left on each). Prints one line per visit, then

    SLOW_READERS_RESULT visits=… answered=… p50_ms=… max_ms=… first_ms=… longest_wait_s=… closed=… of=… fds_max=… fds_end=…

longest_wait_s: the longest time from a visit's start until a visit (that
one or a later one) was answered: how long a visitor was kept waiting.

Bounded: every loop has a fixed number of rounds, every socket a timeout.
Only the standard library.
"""

import os
import socket
import sys
import time

HOST = "127.0.0.1"


def open_files(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def visit(port):
    """Seconds until the whole answer to `GET /` arrived, or None."""
    started = time.monotonic()
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect((HOST, port))
        s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        if not data.startswith(b"HTTP/1.1 200"):
            return None
        return time.monotonic() - started
    except OSError:
        return None
    finally:
        s.close()


def closed_by_server(s):
    """Reads what is left; True when the server has closed the connection."""
    s.settimeout(0.05)
    try:
        for _ in range(100_000):
            if not s.recv(1 << 20):
                return True
    except socket.timeout:
        return False
    except OSError:
        return True
    return False


def main():
    port, pid, connections, requests, seconds = (int(a) for a in sys.argv[1:6])
    request = b"GET /nyheder/feed.atom HTTP/1.1\r\nHost: localhost\r\n\r\n" * requests
    attackers = []
    for _ in range(connections):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(2)
        try:
            s.connect((HOST, port))
            s.sendall(request)
        except OSError as e:
            print(f"an attacking connection failed: {e}", file=sys.stderr)
        attackers.append(s)
    start = time.monotonic()
    times, fds = [], []
    longest_wait, waiting_since = 0.0, None
    for i in range(int(seconds * 2)):
        began = time.monotonic()
        took = visit(port)
        if took is None:
            waiting_since = waiting_since if waiting_since is not None else began
        else:
            since = waiting_since if waiting_since is not None else began
            longest_wait = max(longest_wait, began + took - since)
            waiting_since = None
        fds.append(open_files(pid))
        shown = f"{took * 1000:.1f} ms" if took is not None else "no answer within 5 s"
        print(f"t={time.monotonic() - start:5.1f} s  GET /: {shown}  server fds={fds[-1]}", flush=True)
        times.append(took)
        time.sleep(max(0.0, start + (i + 1) * 0.5 - time.monotonic()))
    if waiting_since is not None:
        longest_wait = max(longest_wait, time.monotonic() - waiting_since)
    closed = sum(closed_by_server(s) for s in attackers)
    for s in attackers:
        s.close()
    answered = sorted(t for t in times if t is not None)
    p50 = answered[len(answered) // 2] * 1000 if answered else float("nan")
    top = answered[-1] * 1000 if answered else float("nan")
    first = times[0] * 1000 if times and times[0] is not None else float("nan")
    print(
        f"SLOW_READERS_RESULT visits={len(times)} answered={len(answered)} "
        f"p50_ms={p50:.1f} max_ms={top:.1f} first_ms={first:.1f} "
        f"longest_wait_s={longest_wait:.2f} closed={closed} "
        f"of={len(attackers)} fds_max={max(fds)} fds_end={fds[-1]}"
    )


if __name__ == "__main__":
    main()
