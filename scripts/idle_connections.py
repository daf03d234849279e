"""Holds N idle keep-alive HTTP/1.1 connections open to 127.0.0.1:PORT for a benchmark.

Each connection sends one `GET PATH` and reads its answer (so the server sees a real keep-alive client), then
sits idle. Prints "ready N" once all are open, holds them for SEC seconds (or until terminated), then says how
many the server had closed meanwhile; exits non-zero if any was. Loopback only.

usage: python3 idle_connections.py PORT N [PATH] [SEC]
"""
import resource
import signal
import socket
import sys
import time


def main() -> int:
    port, count = int(sys.argv[1]), int(sys.argv[2])
    path = sys.argv[3] if len(sys.argv) > 3 else "/healthz"
    hold = float(sys.argv[4]) if len(sys.argv) > 4 else 300.0
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 64)), hard))
    request = f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(request)
        sockets.append(s)
    for s in sockets:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                print(f"idle_connections: the server closed a connection before answering", file=sys.stderr)
                return 1
            data += chunk
    print(f"ready {len(sockets)}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    time.sleep(hold)
    closed = 0
    for s in sockets:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    print(f"still open {len(sockets) - closed} of {len(sockets)}", flush=True)
    return 0 if closed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
