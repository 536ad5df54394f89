"""Guarded URL fetching for ``whosaid ingest https://…`` and the app's URL form.

A URL typed by a user must not become a way to read the machine's own network (SSRF):

* only ``http`` and ``https`` URLs are fetched;
* the host is resolved **once per hop** and every address it resolves to is vetted:
  loopback, private (RFC 1918, 100.64/10), link-local, unique-local, unspecified,
  multicast, reserved and IPv4-in-IPv6 forms of those are refused unless
  ``FetchPolicy.allow_private`` is set; cloud-metadata endpoints are refused always;
* the connection goes to the vetted address itself (no second DNS lookup, so no DNS
  rebinding), while the Host header, TLS SNI and certificate check use the host name;
* redirects are followed by hand, each hop parsed, resolved and vetted again; an
  https -> http downgrade is refused;
* the body is capped while streaming (after gzip/deflate decoding, so a zip bomb stops
  at the cap), the whole fetch has one time limit, and only text content types pass.

Every failure raises ``FetchError`` with a plain message that never shows URL credentials.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urljoin, urlsplit

from index.errors import FetchError

Resolver = Callable[[str, int], list[str]]

ALLOW_PRIVATE_HINT = "set WHOSAID_ALLOW_PRIVATE_URLS=1 to allow"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
OK_STATUSES = {200, 203}
_CHUNK = 64 * 1024
_MAX_SHOWN_URL = 200
MAX_URL_CHARS = 8_000

# Cloud metadata services: refused even when private addresses are allowed.
METADATA_ADDRESSES = frozenset({
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, …
    ipaddress.ip_address("169.254.170.2"),  # AWS ECS task metadata
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
    ipaddress.ip_address("168.63.129.16"),  # Azure wire server (a public-looking address)
})
METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata.goog"})

_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_HOST_NAME = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")
_BAD_URL_CHARS = re.compile(r"[\x00-\x20\x7f]")
_NOT_URL_SAFE = re.compile(r"[^\x21-\x7e]+")
_USERINFO = re.compile(r"^((?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//)[^/?#]*@")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one fetch; ``allow_private`` comes from ``WHOSAID_ALLOW_PRIVATE_URLS=1``."""

    allow_private: bool = False
    max_bytes: int = 5_000_000
    timeout_s: float = 15.0
    connect_timeout_s: float = 5.0
    max_redirects: int = 5
    allowed_content_types: tuple[str, ...] = (
        "text/html", "application/xhtml+xml", "text/plain", "text/markdown",
    )
    user_agent: str = "whosaid/0.1 (+fact-check ingestion)"


@dataclass(frozen=True)
class FetchedPage:
    """A fetched page. URLs carry no credentials; header names are lower-case."""

    url_requested: str
    url_final: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Target:
    """An http(s) URL checked for syntax and split into what a request needs."""

    scheme: str
    host: str  # lower-case ASCII host name (IDNA) or IP literal, no brackets
    port: int
    path: str  # path and query, ASCII, percent-encoded, starts with "/"

    @property
    def url(self) -> str:
        """The URL without credentials or fragment (safe to show and store)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = {"http": 80, "https": 443}[self.scheme]
        port = "" if self.port == default else f":{self.port}"
        return f"{self.scheme}://{host}{port}{self.path}"


# --------------------------------------------------------------------- messages


def redact_url(url: str) -> str:
    """``url`` with any ``user:password@`` removed (never raises)."""
    return _USERINFO.sub(r"\1", url)


def _show(url: str) -> str:
    """``url`` as it may appear in a message: no credentials, printable, not too long."""
    text = _NOT_URL_SAFE.sub(lambda m: quote(m.group(), safe=""), redact_url(url))
    return text if len(text) <= _MAX_SHOWN_URL else text[: _MAX_SHOWN_URL - 1] + "…"


# ------------------------------------------------------------------ URL checking


def check_url(url: str) -> Target:
    """Parse ``url`` into a ``Target``; raise ``FetchError`` unless it is a usable http(s) URL."""
    if not isinstance(url, str) or not url.strip():
        raise FetchError("refused: no URL given")
    text = url.strip()
    if len(text) > MAX_URL_CHARS:
        raise FetchError(f"refused: the URL is longer than {MAX_URL_CHARS:,} characters")
    if _BAD_URL_CHARS.search(text):
        raise FetchError(f"refused: {_show(text)} contains spaces or control characters")
    try:
        parts = urlsplit(text)
        scheme, host, port = parts.scheme.lower(), parts.hostname, parts.port
    except ValueError:
        raise FetchError(f"refused: {_show(text)} is not a valid URL") from None
    if scheme not in ("http", "https"):
        what = f"a {scheme}: URL" if scheme else "a URL without http:// or https://"
        raise FetchError(f"refused: {_show(text)} is {what}; only http and https URLs can be fetched")
    if not host:
        raise FetchError(f"refused: {_show(text)} has no host name")
    if port == 0:
        raise FetchError(f"refused: {_show(text)} has an invalid port")
    path = _NOT_URL_SAFE.sub(lambda m: quote(m.group(), safe=""), parts.path or "/")
    if not path.startswith("/"):
        path = "/" + path
    if parts.query:
        path += "?" + _NOT_URL_SAFE.sub(lambda m: quote(m.group(), safe=""), parts.query)
    default_port = 443 if scheme == "https" else 80
    return Target(scheme, _normalise_host(host, text), port or default_port, path)


def _normalise_host(host: str, url: str) -> str:
    """The host as an IP literal or a lower-case ASCII name; ``FetchError`` if it is neither."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        name = host.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise FetchError(f"refused: {_show(url)} has an invalid host name") from None
    if len(name) > 253 or not _HOST_NAME.fullmatch(name):
        raise FetchError(f"refused: {_show(url)} has an invalid host name")
    return name


def redirect_target(current: Target, location: str) -> Target:
    """The target a ``Location`` header sends ``current`` to (relative ones resolved).

    Refuses non-http(s) targets and a downgrade from https to http.
    """
    try:
        absolute = urljoin(current.url, location.strip().replace(" ", "%20"))
    except ValueError:
        raise FetchError(f"refused: {current.url} redirects to an invalid URL") from None
    target = check_url(absolute)
    if current.scheme == "https" and target.scheme == "http":
        raise FetchError(
            f"refused: {current.url} redirects from https to plain http ({target.url}); "
            "downgrades are not followed"
        )
    return target


# ------------------------------------------------------------- address vetting


def default_resolver(host: str, port: int) -> list[str]:
    """All IP addresses ``host`` resolves to for a TCP connection on ``port``."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address carried by an IPv4-mapped, 6to4 or NAT64 IPv6 address, if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _parse_ip(ip: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """``ip`` parsed, without an IPv6 zone (``fe80::1%eth0`` -> ``fe80::1``)."""
    return ipaddress.ip_address(ip.split("%", 1)[0])


def is_metadata_address(ip: str) -> bool:
    """Whether ``ip`` (also in IPv4-mapped form) is a cloud metadata endpoint."""
    address = _parse_ip(ip)
    if address.version == 6 and (inner := _embedded_ipv4(address)) is not None:
        address = inner
    return address in METADATA_ADDRESSES


def address_problem(ip: str) -> str | None:
    """Why ``ip`` is not a public address ("a private address", …), or ``None`` if it is."""
    address = _parse_ip(ip)
    if address.version == 6 and (inner := _embedded_ipv4(address)) is not None:
        problem = address_problem(str(inner))
        return f"{problem} in IPv6 form" if problem else None
    checks = (
        (address.is_unspecified or address in _THIS_NETWORK, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address in _CGNAT, "a private (carrier-grade NAT) address"),
        (address in _UNIQUE_LOCAL, "a unique-local address"),
        (address.version == 6 and address.is_site_local, "a site-local address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "a non-public address"),
    )
    return next((reason for failed, reason in checks if failed), None)


def vet_address(ip: str, host: str, policy: FetchPolicy) -> None:
    """Raise ``FetchError`` if ``policy`` forbids connecting to ``ip`` (which ``host`` named)."""
    where = ip if host == ip else f"{host} resolves to {ip}"
    try:
        metadata = is_metadata_address(ip)
    except ValueError:
        raise FetchError(f"refused: {host} resolved to something that is not an IP address") from None
    if metadata:
        raise FetchError(f"refused: {where}, a cloud metadata address; it is never fetched")
    problem = address_problem(ip)
    if problem and not policy.allow_private:
        raise FetchError(f"refused: {where}, {problem} ({ALLOW_PRIVATE_HINT})")


def resolve_and_vet(target: Target, policy: FetchPolicy, resolver: Resolver,
                    deadline: _Deadline | None = None) -> list[str]:
    """The addresses to connect to for ``target``: resolved once, every one of them vetted."""
    if target.host in METADATA_HOSTS:
        raise FetchError(f"refused: {target.host} is a cloud metadata service; it is never fetched")
    try:
        addresses = [str(_parse_ip(target.host))]
    except ValueError:
        addresses = _resolve(resolver, target.host, target.port, deadline or _Deadline(None))
    if not addresses:
        raise FetchError(f"could not fetch {target.url}: {target.host} has no address")
    for ip in addresses:
        vet_address(ip, target.host, policy)
    return addresses


def _resolve(resolver: Resolver, host: str, port: int, deadline: _Deadline) -> list[str]:
    """``resolver(host, port)`` within the time left (a hung DNS lookup cannot stall a fetch)."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["addresses"] = [str(a) for a in resolver(host, port)]
        except (OSError, UnicodeError, ValueError) as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=run, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(deadline.remaining())
    if worker.is_alive():
        raise deadline.error()
    if "error" in outcome:
        reason = getattr(outcome["error"], "strerror", None) or "lookup failed"
        raise FetchError(f"could not fetch: the host name {host} could not be resolved ({reason})")
    return outcome["addresses"]  # type: ignore[return-value]


# ------------------------------------------------------------ time and sockets


class _Deadline:
    """The time budget of one fetch; when it runs out, the current socket is shut down."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._end = None if seconds is None else time.monotonic() + seconds
        self._lock = threading.Lock()
        self._watched: socket.socket | None = None
        self.expired = False
        self._timer: threading.Timer | None = None
        if seconds is not None:
            self._timer = threading.Timer(seconds, self._expire)
            self._timer.daemon = True
            self._timer.start()

    def error(self) -> FetchError:
        return FetchError(f"could not fetch: the server took longer than the {self.seconds:g} s limit")

    def remaining(self) -> float | None:
        """Seconds left (``None`` = unlimited); raises ``FetchError`` when none are."""
        if self._end is None:
            return None
        self.check()
        return max(self._end - time.monotonic(), 0.001)

    def is_over(self) -> bool:
        return self.expired or (self._end is not None and time.monotonic() >= self._end)

    def check(self) -> None:
        if self.is_over():
            raise self.error()

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock``'s connection down if the time runs out while it is open.

        A duplicate of the socket is kept: it stays usable when TLS wraps (detaches) the
        original or http.client drops its reference, and shutting it down wakes a read
        blocked on the original.
        """
        with self._lock:
            self._close_watched()
            self._watched = sock.dup()
            if self.expired:
                self._shut_watched()

    def release(self) -> None:
        """Stop watching the current socket (the connection is closed)."""
        with self._lock:
            self._close_watched()

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shut_watched()

    def _shut_watched(self) -> None:
        if self._watched is not None:
            try:
                self._watched.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _close_watched(self) -> None:
        if self._watched is not None:
            self._watched.close()
            self._watched = None

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _open_socket(addresses: list[str], port: int, policy: FetchPolicy,
                 deadline: _Deadline) -> socket.socket:
    """A TCP connection to the first reachable vetted address."""
    failure: OSError | None = None
    for ip in addresses:
        left = deadline.remaining()
        connect_timeout = policy.connect_timeout_s if left is None else min(policy.connect_timeout_s, left)
        try:
            sock = socket.create_connection((ip, port), timeout=connect_timeout)
        except OSError as exc:
            failure = exc
            continue
        deadline.watch(sock)
        sock.settimeout(deadline.remaining())
        return sock
    assert failure is not None
    raise failure


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to ``host`` over a socket from ``open_socket`` (to a vetted IP, no DNS lookup)."""

    def __init__(self, host: str, port: int, open_socket: Callable[[], socket.socket]) -> None:
        super().__init__(host, port)
        self._open_socket = open_socket

    def connect(self) -> None:
        self.sock = self._open_socket()


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a vetted IP; SNI and the certificate check use the host name."""

    def __init__(self, host: str, port: int, open_socket: Callable[[], socket.socket],
                 context: ssl.SSLContext) -> None:
        super().__init__(host, port, context=context)
        self._open_socket = open_socket
        self._tls = context

    def connect(self) -> None:
        self.sock = self._tls.wrap_socket(self._open_socket(), server_hostname=self.host)


@lru_cache(maxsize=1)
def default_tls_context() -> ssl.SSLContext:
    """The system's trusted CAs, hostname checking on."""
    return ssl.create_default_context()


# -------------------------------------------------------------------- fetching


def fetch(url: str, policy: FetchPolicy | None = None, resolver: Resolver = default_resolver,
          tls_context: ssl.SSLContext | None = None) -> FetchedPage:
    """Fetch ``url`` under ``policy``; raise ``FetchError`` with a plain reason otherwise."""
    policy = policy or FetchPolicy()
    deadline = _Deadline(policy.timeout_s)
    try:
        requested = check_url(url)
        target = requested
        for _ in range(policy.max_redirects + 1):
            with _exchange(target, policy, resolver, tls_context, deadline) as response:
                if response.status not in REDIRECT_STATUSES:
                    return _page(requested, target, response, policy, deadline)
                location = response.getheader("Location")
            if not location:
                raise FetchError(f"could not fetch {target.url}: a redirect without a Location")
            target = redirect_target(target, _header_text(location))
        raise FetchError(
            f"refused: {requested.url} redirects more than {policy.max_redirects} times"
        )
    finally:
        deadline.cancel()


@contextmanager
def _exchange(target: Target, policy: FetchPolicy, resolver: Resolver,
              tls_context: ssl.SSLContext | None, deadline: _Deadline,
              ) -> Iterator[http.client.HTTPResponse]:
    """Send one GET to ``target`` (vetted first) and yield the response; always closes."""
    addresses = resolve_and_vet(target, policy, resolver, deadline)

    def open_socket() -> socket.socket:
        return _open_socket(addresses, target.port, policy, deadline)

    if target.scheme == "https":
        connection: http.client.HTTPConnection = _PinnedHTTPSConnection(
            target.host, target.port, open_socket, tls_context or default_tls_context())
    else:
        connection = _PinnedHTTPConnection(target.host, target.port, open_socket)
    try:
        with _network_errors(target, deadline):
            connection.request("GET", target.path, headers=_request_headers(policy))
            response = connection.getresponse()
        yield response
    finally:
        connection.close()
        deadline.release()


def _request_headers(policy: FetchPolicy) -> dict[str, str]:
    return {
        "User-Agent": policy.user_agent,
        "Accept": ", ".join(policy.allowed_content_types) + ", */*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }


@contextmanager
def _network_errors(target: Target, deadline: _Deadline) -> Iterator[None]:
    """Turn socket, TLS and HTTP protocol errors into ``FetchError`` (a timeout says so)."""
    try:
        yield
    except FetchError:
        raise
    except ssl.SSLCertVerificationError as exc:
        reason = exc.verify_message or "certificate not trusted"
        raise FetchError(f"could not fetch {target.url}: its TLS certificate was refused ({reason})") from None
    except (OSError, http.client.HTTPException) as exc:
        if isinstance(exc, TimeoutError) or deadline.is_over():  # e.g. the deadline shut the socket
            raise deadline.error() from None
        raise FetchError(f"could not fetch {target.url}: {_plain_reason(exc)}") from None
    deadline.check()


def _plain_reason(exc: Exception) -> str:
    """A short, plain description of a network or protocol failure."""
    if isinstance(exc, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(exc, http.client.IncompleteRead):
        return "the connection closed before the whole page arrived"
    if isinstance(exc, http.client.HTTPException):
        return "the server's answer is not valid HTTP"
    if isinstance(exc, ssl.SSLError):
        return f"the TLS connection failed ({exc.reason or 'handshake error'})"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _header_text(value: str) -> str:
    """A header value http.client decoded as Latin-1, re-read as UTF-8 when it is that."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _page(requested: Target, final: Target, response: http.client.HTTPResponse,
          policy: FetchPolicy, deadline: _Deadline) -> FetchedPage:
    """The page in a non-redirect response, once its status, type and size pass."""
    if response.status not in OK_STATUSES:
        raise FetchError(f"could not fetch {final.url}: the server answered {response.status} {response.reason}")
    content_type, charset = parse_content_type(response.getheader("Content-Type"))
    if content_type not in policy.allowed_content_types:
        allowed = ", ".join(policy.allowed_content_types)
        raise FetchError(
            f"refused: {final.url} is {content_type or 'of no stated type'}, not a text page ({allowed})"
        )
    body = _read_body(final, response, policy, deadline)
    headers: dict[str, str] = {}
    for name, value in response.getheaders():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return FetchedPage(requested.url, final.url, response.status, content_type, charset, body, headers)


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """``(media type, charset)`` from a Content-Type header, lower-case; ``("", None)`` if absent."""
    if not value:
        return "", None
    media_type, _, params = value.partition(";")
    match = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", params, re.I)
    return media_type.strip().lower(), match[1].lower() if match else None


def _read_body(target: Target, response: http.client.HTTPResponse, policy: FetchPolicy,
               deadline: _Deadline) -> bytes:
    """The decoded body, refused as soon as it (or its compressed form) passes ``max_bytes``."""
    limit = policy.max_bytes
    too_large = FetchError(f"refused: {target.url} is larger than the {_size(limit)} limit")
    if response.length is not None and response.length > limit:
        raise FetchError(
            f"refused: {target.url} is {_size(response.length)} (by its Content-Length), "
            f"over the {_size(limit)} limit"
        )
    decoder = _BodyDecoder(response.getheader("Content-Encoding"), limit, target, too_large)
    body = bytearray()
    received = 0
    with _network_errors(target, deadline):
        while chunk := response.read(_CHUNK):
            received += len(chunk)
            if received > limit:
                raise too_large
            body += decoder.feed(chunk)
        body += decoder.finish()
    return bytes(body)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


class _BodyDecoder:
    """Undoes gzip/deflate chunk by chunk, never producing more than ``limit`` bytes."""

    def __init__(self, encoding: str | None, limit: int, target: Target, too_large: FetchError) -> None:
        self.encoding = (encoding or "identity").strip().lower()
        if self.encoding not in ("identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"refused: {target.url} is sent with an unsupported encoding ({self.encoding[:40]})")
        self.limit, self.target, self.too_large = limit, target, too_large
        self.produced = 0
        self._inflater: zlib._Decompress | None = None

    def feed(self, data: bytes) -> bytes:
        if self.encoding == "identity":
            return data
        if self._inflater is None:
            self._inflater = zlib.decompressobj(self._window_bits(data))
        pieces = []
        try:
            while data and not self._inflater.eof:
                # max_length >= 1 always (0 would mean "no limit")
                piece = self._inflater.decompress(data, self.limit - self.produced + 1)
                self._count(piece)
                pieces.append(piece)
                data = self._inflater.unconsumed_tail
        except zlib.error:
            raise FetchError(f"could not fetch {self.target.url}: its {self.encoding} body is corrupt") from None
        return b"".join(pieces)

    def finish(self) -> bytes:
        if self._inflater is None:
            return b""
        rest = self._inflater.flush()
        self._count(rest)
        return rest

    def _count(self, piece: bytes) -> None:
        self.produced += len(piece)
        if self.produced > self.limit:
            raise self.too_large

    def _window_bits(self, first: bytes) -> int:
        if self.encoding in ("gzip", "x-gzip"):
            return 16 + zlib.MAX_WBITS
        # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate
        zlib_header = len(first) >= 2 and first[0] & 0x0F == 8 and int.from_bytes(first[:2], "big") % 31 == 0
        return zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS
