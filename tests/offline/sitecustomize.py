"""Loaded first in the offline test's child processes: any attempt to open a network socket fails
loudly and is recorded, so the test sees code that tried to reach the network even if it caught the error."""

import os
import socket
import sys

_LOG = os.environ.get("SHOPSCRIBE_SOCKET_LOG")
_real_socket = socket.socket


def _record(what: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as handle:
            handle.write(f"{what} from {sys.argv[:3]}\n")


class _GuardedSocket(_real_socket):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):  # noqa: A002
        if fileno is None and family in (socket.AF_INET, socket.AF_INET6, -1):
            _record(f"socket(family={family})")
            raise OSError("network access blocked by the offline test")
        super().__init__(family, type, proto, fileno)


def _blocked(*args, **kwargs):
    _record(f"lookup {args[:1]}")
    raise OSError("network access blocked by the offline test")


socket.socket = _GuardedSocket
socket.create_connection = _blocked
socket.getaddrinfo = _blocked
