"""Which addresses a fetch may reach: public ones only, an IPv4 address carried inside IPv6 judged as IPv4.

`ipaddress`'s `is_global` is the base. It misses what the lists below add: ranges it counts as
global in some Python versions (192.0.0.0/24, site-local fec0::/10) and the IPv6 forms that lead
to an IPv4 address (NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo, IPv4-mapped, SIIT ::ffff:0:0:0/96,
IPv4-compatible ::/96), whose embedded address is judged by the IPv4 rules.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from skazal.errors import SkazalError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
DEFAULT_PORTS = (80, 443)

_NOT_PUBLIC = tuple(ipaddress.ip_network(network) for network in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.88.99.0/24", "198.18.0.0/15", "224.0.0.0/3",
    "64:ff9b:1::/48", "fec0::/10", "5f00::/16", "ff00::/8",
))
_EMBEDDING_LOW_32_BITS = tuple(ipaddress.ip_network(network) for network in (
    "::/96",  # IPv4-compatible (and :: and ::1)
    "::ffff:0:0/96",  # IPv4-mapped
    "::ffff:0:0:0/96",  # SIIT, IPv4-translated
    "64:ff9b::/96",  # NAT64, the well-known prefix
))


class NotAHost(SkazalError):
    """An --allow-host value that is not HOST or HOST:PORT."""


def is_public(address: str) -> bool:
    """True when `address` (an IP address as getaddrinfo gives it) and any IPv4 address inside it are public."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if any(ip in network for network in _NOT_PUBLIC if network.version == ip.version):
        return False
    if isinstance(ip, ipaddress.IPv4Address):
        return ip.is_global
    embedded = embedded_ipv4(ip)
    if embedded:
        return all(is_public(str(inner)) for inner in embedded)
    return ip.is_global


def embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address leads to: Teredo's server and client, 6to4's, or the low 32 bits."""
    if ip.teredo:
        return ip.teredo
    if ip.sixtofour:
        return (ip.sixtofour,)
    if any(ip in network for network in _EMBEDDING_LOW_32_BITS):
        return (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF),)
    return ()


@dataclass(frozen=True)
class AllowedHost:
    """A host that may be fetched on a private address: on `port` only, or on 80 and 443 when none is given."""

    host: str
    port: int | None = None

    @classmethod
    def parse(cls, text: str) -> AllowedHost:
        """`intranet`, `intranet:8080`, `10.0.0.5:8080` or `[fd00::5]:8080`."""
        try:
            parts = urlsplit(f"//{text.strip()}")
            port = parts.port
        except ValueError as error:
            raise NotAHost(f"{text!r} is not HOST or HOST:PORT ({error})") from error
        if not parts.hostname or parts.username is not None or parts.path:
            raise NotAHost(f"{text!r} is not HOST or HOST:PORT")
        return cls(parts.hostname.lower(), port)

    def admits(self, host: str, port: int) -> bool:
        ports = (self.port,) if self.port is not None else DEFAULT_PORTS
        return host.lower().strip("[]") == self.host and port in ports
