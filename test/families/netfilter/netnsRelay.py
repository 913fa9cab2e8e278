#!/usr/bin/env python3
"""A dumb relay between a test and the kernel, run inside a network namespace.

The test (the only one that knows netfilter) sends one JSON command per line on stdin; the
relay answers one JSON line per command on stdout. It builds no netlink message and parses
none: it sends the bytes it is given and returns the bytes it receives, as hex.

Commands:
  {"op": "open", "groups": [1, 2]}           open AF_NETLINK/NETLINK_NETFILTER, join groups
  {"op": "send", "hex": "..."}               send bytes to the kernel
  {"op": "recv", "timeout": 1.0, "quiet": 0.1}
        wait up to `timeout` s for a datagram, then keep reading until `quiet` s pass
        without one; answers {"datagrams": [hex...], "errors": [errno...]}
  {"op": "udp_listen", "port": 5556}         bind a UDP socket on 127.0.0.1
  {"op": "udp_send", "port": 5555, "payloads": [hex...], "sport": 0}
  {"op": "udp_recv", "timeout": 1.0, "quiet": 0.1}   datagrams the UDP listener got
  {"op": "tcp_flow", "port": 5557, "hex": "..."}
        listen on 127.0.0.1:port, connect, send the bytes, read them, close both ends
  {"op": "quit"}
"""

import errno
import json
import select
import socket
import sys
import time

NETLINK_NETFILTER = 12
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1

state = {}


def recv_all(sock, timeout, quiet, size=1 << 17):
    datagrams, errors = [], []
    deadline = time.monotonic() + timeout
    wait = timeout
    while True:
        ready, _, _ = select.select([sock], [], [], max(0.0, wait))
        if not ready:
            break
        try:
            data = sock.recv(size)
            datagrams.append(data.hex())
        except OSError as e:  # ENOBUFS: the kernel dropped something; report, go on
            errors.append(e.errno)
        wait = quiet if datagrams else max(0.0, deadline - time.monotonic())
    return datagrams, errors


def handle(cmd):
    op = cmd["op"]
    if op == "open":
        nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        nl.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        nl.bind((0, 0))
        for group in cmd.get("groups", []):
            nl.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group)
        state["nl"] = nl
        return {"portid": nl.getsockname()[0]}
    if op == "send":
        state["nl"].sendto(bytes.fromhex(cmd["hex"]), (0, 0))
        return {}
    if op == "recv":
        datagrams, errors = recv_all(state["nl"], cmd.get("timeout", 1.0), cmd.get("quiet", 0.1))
        return {"datagrams": datagrams, "errors": errors}
    if op == "udp_listen":
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", cmd["port"]))
        state["udp"] = udp
        return {}
    if op == "udp_send":
        out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        out.bind(("127.0.0.1", cmd.get("sport", 0)))
        for payload in cmd["payloads"]:
            out.sendto(bytes.fromhex(payload), ("127.0.0.1", cmd["port"]))
        sport = out.getsockname()[1]
        out.close()
        return {"sport": sport}
    if op == "udp_recv":
        datagrams, errors = recv_all(state["udp"], cmd.get("timeout", 1.0), cmd.get("quiet", 0.1))
        return {"datagrams": datagrams, "errors": errors}
    if op == "tcp_flow":
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", cmd["port"]))
        server.listen(1)
        client = socket.create_connection(("127.0.0.1", cmd["port"]), timeout=2)
        peer, _ = server.accept()
        data = bytes.fromhex(cmd["hex"])
        client.sendall(data)
        got = b""
        while len(got) < len(data):
            got += peer.recv(65536)
        sport = client.getsockname()[1]
        client.close()  # the client closes first: its side ends in TIME_WAIT
        peer.recv(1)
        peer.close()
        server.close()
        return {"sport": sport, "echoed": got.hex()}
    if op == "quit":
        return {}
    raise ValueError("unknown op " + op)


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        cmd = json.loads(line)
        try:
            reply = {"ok": True, **handle(cmd)}
        except OSError as e:
            reply = {"ok": False, "error": str(e), "errno": e.errno, "name": errno.errorcode.get(e.errno or 0, "")}
        except Exception as e:  # noqa: BLE001 - every failure goes back to the test
            reply = {"ok": False, "error": repr(e)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
        if cmd.get("op") == "quit":
            break


if __name__ == "__main__":
    main()
