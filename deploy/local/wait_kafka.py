#!/usr/bin/env python3
"""Wait until the project-local Kafka really serves: a metadata request answers
with at least one broker.

    wait_kafka.py [--bootstrap 127.0.0.1:59092] [--timeout 90] [--log var/kafka/kafka.log]
                  [--pid PID]

Uses aiokafka when it is importable (the repo's .venv); otherwise falls back to a
plain-socket ApiVersions + Metadata request, so it also works with a bare python3.
Exits 0 when ready; 1 with a clear message and the tail of the broker log if not
ready within the timeout (or if --pid is given and that process died).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import struct
import sys
import time


def _tail(path: str | None, lines: int = 40) -> str:
    if not path or not os.path.exists(path):
        return "(no log)"
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 64 * 1024))
        data = f.read().decode("utf-8", "replace").splitlines()
    return "\n".join(data[-lines:])


# --- aiokafka probe -------------------------------------------------------------
async def _probe_aiokafka(bootstrap: str, timeout: float) -> int:
    from aiokafka import AIOKafkaClient  # type: ignore

    client = AIOKafkaClient(bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000))
    try:
        await asyncio.wait_for(client.bootstrap(), timeout)
        return len(client.cluster.brokers())
    finally:
        await client.close()


# --- plain-socket probe -----------------------------------------------------------
def _str(s: str) -> bytes:
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def _request(sock: socket.socket, api_key: int, version: int, corr: int, body: bytes) -> bytes:
    msg = struct.pack(">hhi", api_key, version, corr) + _str("trickle-wait-kafka") + body
    sock.sendall(struct.pack(">i", len(msg)) + msg)
    size = struct.unpack(">i", _recv(sock, 4))[0]
    resp = _recv(sock, size)
    if struct.unpack(">i", resp[:4])[0] != corr:
        raise RuntimeError("correlation id mismatch")
    return resp[4:]


def _recv(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed")
        buf += chunk
    return buf


def _probe_socket(bootstrap: str, timeout: float) -> int:
    host, port = bootstrap.rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.settimeout(timeout)
        # ApiVersions v0: every broker answers it.
        resp = _request(sock, 18, 0, 1, b"")
        err, n = struct.unpack(">hi", resp[:6])
        if err:
            raise RuntimeError(f"ApiVersions error {err}")
        versions = {}
        for i in range(n):
            k, lo, hi = struct.unpack(">hhh", resp[6 + 6 * i : 12 + 6 * i])
            versions[k] = (lo, hi)
        lo, hi = versions.get(3, (0, 0))
        v = max(lo, 1)
        if v > min(hi, 8):
            raise RuntimeError(f"no non-flexible Metadata version in {lo}..{hi}")
        body = struct.pack(">i", 0)  # no topics: we only want brokers
        if v >= 4:
            body += b"\x00"  # allow_auto_topic_creation
        if v >= 8:
            body += b"\x00\x00"
        resp = _request(sock, 3, v, 2, body)
        off = 4 if v >= 3 else 0  # throttle_time_ms
        return struct.unpack(">i", resp[off : off + 4])[0]


def _alive(pid: int | None) -> bool:
    if not pid:
        return True
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bootstrap", default=f"127.0.0.1:{os.environ.get('TRICKLE_KAFKA_PORT', '59092')}")
    ap.add_argument("--timeout", type=float, default=90.0)
    ap.add_argument("--log", default=None)
    ap.add_argument("--pid", type=int, default=None)
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    try:
        import aiokafka  # noqa: F401  # type: ignore

        use_aiokafka = True
    except ImportError:
        use_aiokafka = False

    # aiokafka logs every refused connection while the broker starts; keep it quiet.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    deadline = time.monotonic() + args.timeout
    last_err = "no attempt"
    while time.monotonic() < deadline:
        if not _alive(args.pid):
            last_err = f"broker process {args.pid} exited"
            break
        attempt = min(5.0, max(0.5, deadline - time.monotonic()))
        try:
            if use_aiokafka:
                n = asyncio.run(_probe_aiokafka(args.bootstrap, attempt))
            else:
                n = _probe_socket(args.bootstrap, attempt)
            if n > 0:
                if not args.quiet:
                    how = "aiokafka" if use_aiokafka else "socket"
                    print(f"[kafka] ready on {args.bootstrap} ({n} broker(s), via {how})", file=sys.stderr)
                return 0
            last_err = "metadata answered with no brokers"
        except Exception as e:
            last_err = f"{type(e).__name__}: {e}"
        time.sleep(0.3)

    print(
        f"[kafka] NOT READY on {args.bootstrap} after {args.timeout:.0f}s: {last_err}\n"
        f"--- tail of {args.log or 'broker log'} ---\n{_tail(args.log)}",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
