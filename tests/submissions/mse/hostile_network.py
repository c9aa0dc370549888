"""Hostile: at import and on the first call it opens TCP connections to 1.1.1.1:53 and to a
port the test listens on at 127.0.0.1, and sends a UDP datagram to another one. The
functions raise: it must fail, and the test's listeners must receive nothing.
"""
import socket

TCP_PORT = "@@TCP_PORT@@"
UDP_PORT = "@@UDP_PORT@@"
_tried = []


def _reach_out():
    if "@@" in TCP_PORT + UDP_PORT or _tried:
        return
    _tried.append(True)
    for host, port in (("127.0.0.1", int(TCP_PORT)), ("1.1.1.1", 53)):
        try:
            with socket.create_connection((host, port), timeout=1.5) as conn:
                conn.sendall(b"hello from the submission\n")
            print(f"connected to {host}:{port}")
        except OSError as exc:
            print(f"could not connect to {host}:{port}: {type(exc).__name__}")
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.sendto(b"hello from the submission\n", ("127.0.0.1", int(UDP_PORT)))
        print("sent a datagram")
    except OSError as exc:
        print(f"could not send a datagram: {type(exc).__name__}")


_reach_out()


def mse(y_pred, y_true):
    _reach_out()
    raise NotImplementedError("mse is not written yet")


def mse_grad(y_pred, y_true):
    raise NotImplementedError("mse_grad is not written yet")
