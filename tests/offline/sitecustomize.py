"""Loaded by the test kernels (PYTHONPATH): any connection off this machine fails at once.

The kernel still talks to its client over loopback (ZeroMQ), so only non-loopback addresses are
refused. A notebook that tries to fetch anything then fails the test instead of passing on a
machine that happens to be online.
"""
import ipaddress
import socket

_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


class NetworkDisabled(OSError):
    pass


def _local(address):
    if not isinstance(address, tuple):
        return True  # unix sockets
    host = address[0]
    if host in ("localhost", "", None):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guard(address):
    if not _local(address):
        raise NetworkDisabled(f"network disabled in the test kernel: tried to reach {address!r}")


def connect(self, address):
    _guard(address)
    return _connect(self, address)


def connect_ex(self, address):
    _guard(address)
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host not in (None, "localhost") and not _local((host, 0)):
        raise NetworkDisabled(f"network disabled in the test kernel: tried to resolve {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.getaddrinfo = getaddrinfo
