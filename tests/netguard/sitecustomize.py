"""Loaded into subprocesses by the offline tests (via PYTHONPATH): every attempt to
resolve a non-local host name or connect to a non-loopback address is refused and
written to ``$WHOSAID_NETGUARD_LOG``, so a test can assert that nothing left the machine."""

import ipaddress
import os
import socket

_LOG = os.environ.get("WHOSAID_NETGUARD_LOG")
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def _record(what: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(what + "\n")


def _is_loopback(host) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host)
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded_connect(original):
    def connect(self, address, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            _record(f"connect {address[0]}:{address[1]}")
            raise OSError(f"netguard: connection to {address[0]} refused (offline test)")
        return original(self, address, *args, **kwargs)
    return connect


_original_getaddrinfo = socket.getaddrinfo


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host is not None and not _is_loopback(host):
        _record(f"resolve {host}")
        raise socket.gaierror(f"netguard: name resolution of {host} refused (offline test)")
    return _original_getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _guarded_connect(socket.socket.connect)
socket.socket.connect_ex = _guarded_connect(socket.socket.connect_ex)
socket.getaddrinfo = _guarded_getaddrinfo
