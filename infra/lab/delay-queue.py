#!/usr/bin/python3
"""Delays every packet of one NFQUEUE by a fixed time, in arrival order: the `delay` part of the lab's
netem-like profiles, for kernels built without sch_netem (CONFIG_NET_SCH_NETEM unset: `tc qdisc add … netem`
fails with "Specified qdisc kind is unknown"). Standard library only: raw nfnetlink_queue messages.

Usage: delay-queue.py QUEUE DELAY_MS READY_FILE [MAX_SECONDS]
Binds queue QUEUE in the current network namespace (copy mode META: no payload is copied), writes READY_FILE
once bound, and accepts each packet DELAY_MS after it arrived with batch verdicts. Exits on SIGTERM/SIGINT or
after MAX_SECONDS (default 14400). Packets still held when it exits are released by the kernel (the nft rule
uses `bypass`, so a missing listener never blackholes the link).
"""
import os
import select
import signal
import socket
import struct
import sys
import time
from collections import deque

NETLINK_NETFILTER = 12
SOL_NETLINK = 270
NETLINK_NO_ENOBUFS = 5
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = 0
NFQNL_MSG_CONFIG = 2
NFQNL_MSG_VERDICT_BATCH = 3
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQA_CFG_QUEUE_MAXLEN = 3
NFQA_CFG_MASK = 4
NFQA_CFG_FLAGS = 5
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NFQA_CFG_F_GSO = 4
NF_ACCEPT = 1
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
HEADER = struct.Struct('=IHHII')


def attr(kind, payload):
    pad = (4 - len(payload) % 4) % 4
    return struct.pack('=HH', 4 + len(payload), kind) + payload + b'\0' * pad


def message(sock, msg_type, queue, attrs, flags=NLM_F_REQUEST, seq=0):
    body = struct.pack('=BBH', socket.AF_UNSPEC, 0, socket.htons(queue)) + b''.join(attrs)
    sock.send(HEADER.pack(HEADER.size + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, seq, 0) + body)


def configure(sock, queue, attrs, seq):
    """Sends one config message and waits for its ack; raises OSError with the kernel's errno on refusal."""
    message(sock, NFQNL_MSG_CONFIG, queue, attrs, NLM_F_REQUEST | NLM_F_ACK, seq)
    for _ in range(100):
        data = sock.recv(65536)
        length, kind, _flags, got_seq, _pid = HEADER.unpack_from(data)
        if kind == NLMSG_ERROR and got_seq == seq:
            (error,) = struct.unpack_from('=i', data, HEADER.size)
            if error:
                raise OSError(-error, f'nfqueue config refused: {os.strerror(-error)}')
            return
    raise OSError('no ack for nfqueue config')


def main():
    queue, delay = int(sys.argv[1]), float(sys.argv[2]) / 1000
    ready, max_seconds = sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 14400
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)  # SO_RCVBUFFORCE: a burst must not overflow the socket
    sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)
    sock.bind((0, 0))
    configure(sock, queue, [attr(NFQA_CFG_CMD, struct.pack('=BBH', NFQNL_CFG_CMD_BIND, 0, 0))], 1)
    configure(sock, queue, [attr(NFQA_CFG_PARAMS, struct.pack('>IB', 0, NFQNL_COPY_META))], 2)
    configure(sock, queue, [attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack('>I', 65536))], 3)
    flags = struct.pack('>I', NFQA_CFG_F_GSO)
    configure(sock, queue, [attr(NFQA_CFG_FLAGS, flags), attr(NFQA_CFG_MASK, flags)], 4)
    with open(ready, 'w') as f:
        f.write(f'{os.getpid()}\n')
    held = deque()
    deadline = time.monotonic() + max_seconds
    sock.setblocking(False)
    while not stop and time.monotonic() < deadline:
        now = time.monotonic()
        due = None
        while held and held[0][0] <= now:
            due = held.popleft()[1]
        if due is not None:
            verdict = struct.pack('>II', NF_ACCEPT, due)
            message(sock, NFQNL_MSG_VERDICT_BATCH, queue, [attr(NFQA_VERDICT_HDR, verdict)])
        timeout = max(0.0, held[0][0] - time.monotonic()) if held else 1.0
        try:
            readable, _, _ = select.select([sock], [], [], timeout)
        except InterruptedError:
            continue
        if not readable:
            continue
        for _ in range(256):
            try:
                data = sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                break
            at = time.monotonic() + delay
            offset = 0
            while offset + HEADER.size <= len(data):
                length, kind, _flags, _seq, _pid = HEADER.unpack_from(data, offset)
                if length < HEADER.size:
                    break
                if kind & 0xFF == NFQNL_MSG_PACKET and kind >> 8 == NFNL_SUBSYS_QUEUE:
                    at_attr = offset + HEADER.size + 4
                    end = offset + length
                    while at_attr + 4 <= end:
                        alen, akind = struct.unpack_from('=HH', data, at_attr)
                        if alen < 4:
                            break
                        if akind & 0x7FFF == NFQA_PACKET_HDR:
                            held.append((at, struct.unpack_from('>I', data, at_attr + 4)[0]))
                            break
                        at_attr += (alen + 3) & ~3
                offset += (length + 3) & ~3
    if held:  # release what is still held: a closed queue would drop it
        message(sock, NFQNL_MSG_VERDICT_BATCH, queue, [attr(NFQA_VERDICT_HDR, struct.pack('>II', NF_ACCEPT, held[-1][1]))])


if __name__ == '__main__':
    main()
