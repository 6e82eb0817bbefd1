"""Which IP addresses a feed may be fetched from.

A feed URL is written by an editor, and a redirect by whoever runs the server,
so either could point the fetcher at the machine's own network (a cloud
metadata service, a router, a database on localhost).  Names are resolved
first and every address they resolve to is checked; the fetcher then connects
to exactly the address that was checked, so a second DNS answer cannot swap it.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Callable

Resolver = Callable[[str, int], list[str]]


class AddressRefused(Exception):
    """The host resolves to an address feeds may not come from."""


def system_resolver(host: str, port: int) -> list[str]:
    """Every address HOST resolves to for a TCP connection, in the system's order."""
    import socket  # here, not above: a build checks feed addresses without resolving them
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(address: str) -> bool:
    """True for a globally routable unicast address.

    Refuses private, loopback, link-local, shared (CGNAT), reserved,
    documentation and multicast ranges, including IPv4 addresses hidden inside
    IPv6 (mapped, 6to4, Teredo).
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    return all(_global_unicast(each) for each in _with_embedded(ip))


def _with_embedded(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> list:
    if ip.version == 4:
        return [ip]
    embedded = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    return [ip, *(e for e in embedded if e is not None)]


def _global_unicast(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def checked_addresses(host: str, port: int, resolver: Resolver, allow_private: bool) -> list[str]:
    """The addresses to connect to for HOST, after refusing non-public ones.

    Raises AddressRefused when any address is not public (unless ALLOW_PRIVATE),
    and OSError when the name does not resolve.
    """
    addresses = resolver(host, port)
    if not addresses:
        raise OSError(f"{host} has no addresses")
    if not allow_private:
        refused = [a for a in addresses if not is_public(a)]
        if refused:
            what = host if refused[0] == host else f"{host} resolves to {refused[0]}, which"
            raise AddressRefused(
                f"refused: {what} is a private, loopback or link-local address"
                " (site.yaml feeds.allow_private_hosts: true allows it, for tests and previews only)")
    return addresses
