"""The client's address, the one function every rate limit, lock-out and signature asks.

Behind a reverse proxy, REMOTE_ADDR is the proxy's address. Each proxy appends the address it received
the request from to X-Forwarded-For, so the header reads "client, proxy1, proxy2" and only the
entries written by proxies we trust are facts; anything further left is whatever the client sent.
The header is therefore read from the right, and only while the hop that wrote an entry is one of
`settings.TRUSTED_PROXIES`: the first address that is not a trusted proxy is the client. Without a
trusted proxy in front (the default) the header is ignored, so a client cannot choose its address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(value: str) -> IPAddress | None:
    """An address as a proxy writes it: "203.0.113.7", "2001:db8::1", "[2001:db8::1]:443", "203.0.113.7:443"."""
    value = value.strip()
    if value.startswith("["):
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str:
    """The client's address as a string ("" when the server gave none); also AXES_CLIENT_IP_CALLABLE."""
    remote = request.META.get("REMOTE_ADDR", "")
    hop = _parse(remote)
    if hop is None:
        return remote
    if not settings.TRUSTED_PROXIES:
        return str(hop)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry for entry in forwarded.split(",") if entry.strip()]
    while _trusted(hop) and entries:
        previous = _parse(entries.pop())
        if previous is None:
            # A trusted proxy wrote something that is not an address: stop at that proxy rather than
            # read further left, where the entries are the client's own.
            break
        hop = previous
    return str(hop)


def client_network(request: HttpRequest) -> str:
    """What a per-client limit counts: the IPv4 address, or the /64 an IPv6 address belongs to.

    An IPv6 subscriber is given a whole /64 and can use any address in it, so counting addresses
    one by one would give a single client billions of budgets.
    """
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the request came straight from one of TRUSTED_PROXIES (so its own headers are facts)."""
    hop = _parse(request.META.get("REMOTE_ADDR", ""))
    return hop is not None and _trusted(hop)
