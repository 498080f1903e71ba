"""Where an engine may be: what Offline mode allows for a remote engine's address.

Offline means no internet, not no network: with Offline mode on, an engine on this computer (loopback)
always works, and one on a private LAN address works when the user added it by hand in Settings (the
user chose that machine). A public address never does. Names are resolved by the system (hosts file,
local DNS) and every address they resolve to must pass.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from desktop.core.errors import OfflineError

LOOPBACK, PRIVATE, PUBLIC = "loopback", "private", "public"
# A network the user's own router serves: RFC 1918, link-local, IPv6 unique-local and link-local.
# Anything else that is not loopback counts as the internet (documentation and reserved ranges too).
LAN_NETWORKS = [ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "fc00::/7", "fe80::/10")]


def classify_ip(address: str) -> str:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return LOOPBACK
    if any(ip in network for network in LAN_NETWORKS):
        return PRIVATE
    return PUBLIC


def classify_host(host: str) -> str:
    """loopback, private or public: the widest kind among the addresses the host stands for."""
    host = host.strip("[]")
    if host.lower() == "localhost":
        return LOOPBACK
    try:
        return classify_ip(host)
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return PUBLIC  # unknown names are treated as the internet
    kinds = {classify_ip(info[4][0]) for info in infos}
    for kind in (PUBLIC, PRIVATE, LOOPBACK):
        if kind in kinds:
            return kind
    return PUBLIC


def host_of(url: str) -> str:
    return urlsplit(url).hostname or ""


def check_offline(url: str, *, offline: bool, added_by_hand: bool) -> None:
    """Raise OfflineError when Offline mode forbids this engine address."""
    if not offline:
        return
    kind = classify_host(host_of(url))
    if kind == LOOPBACK or (kind == PRIVATE and added_by_hand):
        return
    if kind == PRIVATE:
        raise OfflineError(
            f"Offline mode is on: the engine at {url} is on your local network but is not one of the servers "
            "you added in Settings. Add it there (Settings > Engines), or turn off Offline mode.",
            f"离线模式已开启：{url} 上的生成引擎位于局域网，但不在您于设置中添加的服务器列表里。"
            "请在“设置 > 生成引擎”中添加它，或关闭离线模式。",
        )
    raise OfflineError(
        f"Offline mode is on, so the engine at {url} (an internet address) cannot be used: nothing goes to "
        "the internet. Use an engine on this computer or your local network, or turn off Offline mode.",
        f"离线模式已开启，因此无法使用 {url} 上的生成引擎（这是互联网地址）：不会访问互联网。"
        "请使用本机或局域网内的引擎，或关闭离线模式。",
    )
