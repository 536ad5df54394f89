"""The guarded fetcher against a real HTTP server on 127.0.0.1 (no other traffic, ever).

Every test runs under a guard that records each socket connect and refuses any that is
not to a loopback address, and refuses DNS lookups of names: a broken fetcher fails a
test instead of reaching the network.
"""

from __future__ import annotations

import gzip
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import index.fetch as fetch_module
from index.errors import FetchError, IngestError
from index.fetch import (
    FetchPolicy, Target, check_url, fetch, redact_url, redirect_target, resolve_and_vet,
)

ARTICLE = (
    b"<!doctype html><html><head><meta charset='utf-8'><title>Pier vote</title></head>"
    b"<body><article><p>The Fictional Gazette reports that the Lindqvist Harbour council "
    b"voted to close the old ferry pier.</p></article></body></html>"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SLOW_SECONDS = 3.0
TEST_POLICY = FetchPolicy(allow_private=True, timeout_s=1.0, connect_timeout_s=1.0)


# ----------------------------------------------------------------- the server


class _Handler(BaseHTTPRequestHandler):
    """Routes by path; see ``do_GET``. ``{port}`` in a Location is the server's port."""

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
              **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if "Content_Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str, status: int = 302) -> None:
        self._send(status, Location=location.format(port=self.server.server_port))

    def _drip(self, total: int, pause: float) -> None:
        for _ in range(total):
            if self.server.stopping.wait(pause):
                return
            self.wfile.write(b"x")
            self.wfile.flush()

    def do_GET(self) -> None:  # noqa: C901 - a flat routing table reads best here
        self.server.requests.append((self.path, dict(self.headers)))
        path = self.path
        if path == "/article":
            self._send(200, ARTICLE)
        elif path == "/plain":
            self._send(200, b"Just text.", "text/plain")
        elif path == "/redirect-relative":
            self._redirect("/article")
        elif path == "/redirect-absolute":
            self._redirect("http://127.0.0.1:{port}/article", 301)
        elif path.startswith("/loop/"):
            self._redirect(f"/loop/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/redirect-to-metadata-host":
            self._redirect("http://metadata.test/latest/meta-data/")
        elif path == "/redirect-to-metadata-ip":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/redirect-to-private-host":
            self._redirect("http://intranet.test:{port}/article")
        elif path == "/redirect-to-file":
            self._redirect("file:///etc/passwd")
        elif path == "/big-declared":
            self._send(200, b"x" * 100, Content_Length="10000000")
        elif path == "/big-undeclared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no length: the body ends when the connection closes
            self.wfile.write(b"x" * 5_000)
        elif path == "/big-chunked":
            self.protocol_version = "HTTP/1.1"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            for _ in range(10):
                self.wfile.write(b"3e8\r\n" + b"x" * 1000 + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/gzip-bomb":
            self._send(200, self.server.bomb, Content_Encoding="gzip")
        elif path == "/gzip-article":
            self._send(200, gzip.compress(ARTICLE), Content_Encoding="gzip")
        elif path == "/deflate-zlib":
            self._send(200, zlib.compress(ARTICLE), Content_Encoding="deflate")
        elif path == "/deflate-raw":
            raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
            self._send(200, raw.compress(ARTICLE) + raw.flush(), Content_Encoding="deflate")
        elif path == "/brotli":
            self._send(200, b"\x00\x01", Content_Encoding="br")
        elif path == "/image":
            self._send(200, PNG, "image/png")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4", "application/pdf")
        elif path == "/no-type":
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"hello")
        elif path == "/slow-headers":
            if not self.server.stopping.wait(SLOW_SECONDS):
                self._send(200, ARTICLE)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self._drip(1000, 0.05)
        elif path == "/missing":
            self._send(404, b"not here")
        else:
            self._send(500, b"unknown test route")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address) -> None:  # broken pipes after refusals
        pass


def _start(server: _Server) -> threading.Thread:
    server.requests = []
    server.stopping = threading.Event()
    server.bomb = gzip.compress(b"\0" * 20_000_000, compresslevel=9)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


def _stop(server: _Server, thread: threading.Thread) -> None:
    server.stopping.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture(scope="module")
def server():
    httpd = _Server(("127.0.0.1", 0), _Handler)
    thread = _start(httpd)
    yield httpd
    _stop(httpd, thread)


@pytest.fixture
def base(server) -> str:
    server.requests.clear()
    return f"http://127.0.0.1:{server.server_port}"


# ------------------------------------------------------------------ the guard


def _is_loopback(host: object) -> bool:
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def connections(monkeypatch) -> list:
    """Every address a socket connects to; non-loopback connects and name lookups are refused."""
    attempts: list = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def guarded_connect(sock, address):
        attempts.append(address[:2] if isinstance(address, tuple) else address)
        if not _is_loopback(address[0] if isinstance(address, tuple) else address):
            raise ConnectionRefusedError(f"test guard: no traffic to {address!r}")
        return real_connect(sock, address)

    def guarded_connect_ex(sock, address):
        attempts.append(address[:2] if isinstance(address, tuple) else address)
        return 111  # ECONNREFUSED: tests never need connect_ex

    def guarded_getaddrinfo(host, *args, **kwargs):
        try:
            ipaddress.ip_address(str(host).split("%")[0])
        except ValueError:
            raise socket.gaierror(socket.EAI_NONAME, f"test guard: no DNS lookup of {host!r}") from None
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)
    return attempts


class StubResolver:
    """A resolver from a fixed table; records the names it was asked for."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return list(self.table[host])


def _no_resolver(host: str, port: int) -> list[str]:
    raise AssertionError(f"the resolver must not be asked about {host}")


@pytest.fixture
def loopback_is_public(monkeypatch) -> None:
    """Test seam: vet 127.0.0.1 as if it were a public address (nothing else changes).

    Lets a test use ``allow_private=False`` while its first hop still reaches the local
    server, so the vetting of later hops is what the test observes.
    """
    real = fetch_module.address_problem
    monkeypatch.setattr(fetch_module, "address_problem",
                        lambda ip: None if ip == "127.0.0.1" else real(ip))


# ------------------------------------------------------------ normal fetching


def test_fetches_an_article(base, server, connections):
    page = fetch(f"{base}/article", TEST_POLICY)
    assert page.status == 200
    assert page.body == ARTICLE
    assert page.content_type == "text/html" and page.charset == "utf-8"
    assert page.url_requested == page.url_final == f"{base}/article"
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert connections == [("127.0.0.1", server.server_port)]
    sent = server.requests[0][1]
    assert sent["User-Agent"] == FetchPolicy().user_agent
    assert sent["Accept-Encoding"] == "gzip, deflate"


def test_plain_text_is_allowed(base):
    assert fetch(f"{base}/plain", TEST_POLICY).body == b"Just text."


def test_connects_to_the_resolved_ip_with_the_original_host_header(server, connections):
    resolver = StubResolver({"news.test": ["127.0.0.1"]})
    page = fetch(f"http://news.test:{server.server_port}/article", TEST_POLICY, resolver=resolver)
    assert page.body == ARTICLE
    assert resolver.calls == ["news.test"]
    assert connections == [("127.0.0.1", server.server_port)]
    assert server.requests[-1][1]["Host"] == f"news.test:{server.server_port}"


@pytest.mark.parametrize("path", ["/gzip-article", "/deflate-zlib", "/deflate-raw"])
def test_compressed_bodies_are_decoded(base, path):
    assert fetch(f"{base}{path}", TEST_POLICY).body == ARTICLE


def test_credentials_are_not_sent_or_shown(base, server):
    url = base.replace("http://", "http://reader:hunter2@")
    page = fetch(f"{url}/article", TEST_POLICY)
    assert "hunter2" not in page.url_requested + page.url_final
    assert "Authorization" not in server.requests[-1][1]
    with pytest.raises(FetchError) as refused:
        fetch(f"{url}/missing", TEST_POLICY)
    assert "hunter2" not in str(refused.value) and "reader" not in str(refused.value)


def test_http_error_status_is_reported(base):
    with pytest.raises(FetchError, match="404"):
        fetch(f"{base}/missing", TEST_POLICY)


def test_fetch_error_is_an_ingest_error():
    assert issubclass(FetchError, IngestError)


# ------------------------------------------------------------------ redirects


@pytest.mark.parametrize("path", ["/redirect-relative", "/redirect-absolute"])
def test_follows_redirects(base, path):
    page = fetch(f"{base}{path}", TEST_POLICY)
    assert page.body == ARTICLE
    assert page.url_requested == f"{base}{path}"
    assert page.url_final == f"{base}/article"


def test_redirect_chain_over_the_limit_is_refused(base, server):
    policy = FetchPolicy(allow_private=True, timeout_s=2.0, max_redirects=3)
    with pytest.raises(FetchError, match="redirects more than 3 times"):
        fetch(f"{base}/loop/0", policy)
    assert len(server.requests) == 4  # the first request and three redirects


def test_redirect_to_a_file_url_is_refused(base):
    with pytest.raises(FetchError, match="only http and https"):
        fetch(f"{base}/redirect-to-file", TEST_POLICY)


@pytest.mark.parametrize("path", ["/redirect-to-metadata-host", "/redirect-to-metadata-ip"])
def test_redirect_to_metadata_is_refused_even_when_private_is_allowed(base, server, connections, path):
    resolver = StubResolver({"metadata.test": ["169.254.169.254"]})
    with pytest.raises(FetchError, match="cloud metadata address"):
        fetch(f"{base}{path}", TEST_POLICY, resolver=resolver)
    assert connections == [("127.0.0.1", server.server_port)]


@pytest.mark.usefixtures("loopback_is_public")
@pytest.mark.parametrize("path, answer, reason", [
    ("/redirect-to-metadata-host", "169.254.169.254", "cloud metadata address"),
    ("/redirect-to-private-host", "10.0.0.5", "a private address"),
])
def test_every_redirect_hop_is_vetted(server, connections, path, answer, reason):
    resolver = StubResolver({"public.test": ["127.0.0.1"], "metadata.test": [answer],
                             "intranet.test": [answer]})
    policy = FetchPolicy(allow_private=False, timeout_s=1.0)
    with pytest.raises(FetchError, match=reason):
        fetch(f"http://public.test:{server.server_port}{path}", policy, resolver=resolver)
    assert server.requests[-1][0] == path  # the first hop was fetched …
    assert connections == [("127.0.0.1", server.server_port)]  # … and nothing after it


def test_redirect_target_resolves_relative_locations():
    current = check_url("https://news.test/world/story?id=1")
    assert redirect_target(current, "../politics/next").url == "https://news.test/politics/next"
    assert redirect_target(current, "//other.test/x").url == "https://other.test/x"


def test_https_to_http_downgrade_is_refused():
    current = check_url("https://news.test/story")
    with pytest.raises(FetchError, match="https to plain http"):
        redirect_target(current, "http://news.test/story")


# --------------------------------------------------------------------- limits


@pytest.mark.parametrize("path, phrase", [
    ("/big-declared", "by its Content-Length"),
    ("/big-undeclared", "larger than"),
    ("/big-chunked", "larger than"),
])
def test_oversized_bodies_are_refused(base, path, phrase):
    policy = FetchPolicy(allow_private=True, timeout_s=1.0, max_bytes=1_000)
    with pytest.raises(FetchError, match=phrase):
        fetch(f"{base}{path}", policy)


def test_gzip_bomb_stops_at_the_decompressed_limit(base, server):
    policy = FetchPolicy(allow_private=True, timeout_s=2.0, max_bytes=1_000_000)
    assert len(server.bomb) < policy.max_bytes  # the compressed size alone would pass
    with pytest.raises(FetchError, match="larger than the 1.0 MB limit"):
        fetch(f"{base}/gzip-bomb", policy)


@pytest.mark.parametrize("path, phrase", [
    ("/image", "image/png"), ("/pdf", "application/pdf"), ("/no-type", "no stated type"),
])
def test_non_text_content_types_are_refused(base, path, phrase):
    with pytest.raises(FetchError, match=phrase):
        fetch(f"{base}{path}", TEST_POLICY)


def test_unsupported_content_encoding_is_refused(base):
    with pytest.raises(FetchError, match="unsupported encoding"):
        fetch(f"{base}/brotli", TEST_POLICY)


@pytest.mark.parametrize("path", ["/slow-headers", "/drip"])
def test_total_time_limit(base, path):
    started = time.monotonic()
    with pytest.raises(FetchError, match="longer than the 1 s limit"):
        fetch(f"{base}{path}", TEST_POLICY)
    assert time.monotonic() - started < 2.0


def test_slow_resolver_hits_the_time_limit():
    def hanging(host: str, port: int) -> list[str]:
        time.sleep(1.5)
        return ["127.0.0.1"]

    started = time.monotonic()
    with pytest.raises(FetchError, match="longer than"):
        fetch("http://slow-dns.test/", FetchPolicy(allow_private=True, timeout_s=0.3), resolver=hanging)
    assert time.monotonic() - started < 1.0


# -------------------------------------------------------- refusals, no connect

FORBIDDEN_ANSWERS = [
    ("10.0.0.5", "a private address"),
    ("172.16.3.4", "a private address"),
    ("192.168.1.10", "a private address"),
    ("100.64.1.1", "carrier-grade NAT"),
    ("127.0.0.1", "a loopback address"),
    ("0.0.0.0", "an unspecified address"),
    ("169.254.10.1", "a link-local address"),
    ("169.254.169.254", "cloud metadata address"),
    ("100.100.100.200", "cloud metadata address"),
    ("224.0.0.1", "a multicast address"),
    ("240.0.0.1", "a reserved address"),
    ("::1", "a loopback address"),
    ("::", "an unspecified address"),
    ("fe80::1", "a link-local address"),
    ("fd12:3456::1", "a unique-local address"),
    ("fd00:ec2::254", "cloud metadata address"),
    ("::ffff:10.0.0.5", "a private address in IPv6 form"),
    ("::ffff:127.0.0.1", "a loopback address in IPv6 form"),
    ("::ffff:169.254.169.254", "cloud metadata address"),
    ("64:ff9b::a00:5", "a private address in IPv6 form"),
]


@pytest.mark.parametrize("answer, reason", FORBIDDEN_ANSWERS)
def test_forbidden_addresses_are_refused_before_connecting(connections, answer, reason):
    resolver = StubResolver({"victim.test": [answer]})
    with pytest.raises(FetchError, match=reason) as refused:
        fetch("http://victim.test/admin", FetchPolicy(), resolver=resolver)
    assert f"victim.test resolves to {answer}" in str(refused.value)
    assert resolver.calls == ["victim.test"]
    assert connections == []


def test_one_forbidden_address_among_public_ones_is_enough(connections):
    resolver = StubResolver({"mixed.test": ["93.184.215.14", "10.0.0.5"]})
    with pytest.raises(FetchError, match="10.0.0.5, a private address"):
        fetch("http://mixed.test/", FetchPolicy(), resolver=resolver)
    assert connections == []


def test_refusal_message_names_the_setting():
    resolver = StubResolver({"example.internal": ["10.0.0.5"]})
    with pytest.raises(FetchError) as refused:
        fetch("http://example.internal/", FetchPolicy(), resolver=resolver)
    assert str(refused.value) == (
        "refused: example.internal resolves to 10.0.0.5, a private address "
        "(set WHOSAID_ALLOW_PRIVATE_URLS=1 to allow)"
    )


@pytest.mark.parametrize("url, reason", [
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata address"),
    ("http://[fd00:ec2::254]/", "cloud metadata address"),
    ("http://[::ffff:127.0.0.1]:8080/", "a loopback address in IPv6 form"),
    ("http://0.0.0.0:8080/", "an unspecified address"),
    ("https://10.1.2.3/", "a private address"),
    ("http://metadata.google.internal/computeMetadata/v1/", "cloud metadata service"),
    ("http://METADATA.google.internal./", "cloud metadata service"),
])
def test_literal_and_named_forbidden_hosts_skip_the_resolver(connections, url, reason):
    with pytest.raises(FetchError, match=reason):
        fetch(url, FetchPolicy(), resolver=_no_resolver)
    assert connections == []


def test_metadata_is_refused_even_when_private_is_allowed(connections):
    resolver = StubResolver({"sneaky.test": ["169.254.169.254"]})
    with pytest.raises(FetchError, match="cloud metadata address"):
        fetch("http://sneaky.test/", TEST_POLICY, resolver=resolver)
    assert connections == []


def test_allow_private_lets_private_addresses_through_vetting():
    resolver = StubResolver({"intranet.test": ["10.0.0.5", "fd12::1"]})
    target = check_url("http://intranet.test/")
    assert resolve_and_vet(target, FetchPolicy(allow_private=True), resolver) == ["10.0.0.5", "fd12::1"]


def test_unresolvable_host_is_reported(connections):
    with pytest.raises(FetchError, match="could not be resolved"):
        fetch("http://nowhere.test/", FetchPolicy(), resolver=StubResolver({}))
    assert connections == []


@pytest.mark.usefixtures("loopback_is_public")
def test_dns_rebinding_cannot_redirect_the_connection(server, connections):
    """The second answer (metadata) must never be used: one lookup, connect to its result."""
    answers = iter([["127.0.0.1"]])

    def rebinding(host: str, port: int) -> list[str]:
        return next(answers, ["169.254.169.254"])

    page = fetch(f"http://rebind.test:{server.server_port}/article",
                 FetchPolicy(allow_private=False, timeout_s=1.0), resolver=rebinding)
    assert page.body == ARTICLE
    assert next(answers, "exhausted") == "exhausted"  # the resolver was asked exactly once
    assert connections == [("127.0.0.1", server.server_port)]


# --------------------------------------------------------------- URL checking


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.com/a", "javascript:alert(1)", "data:text/html,hi",
    "gopher://example.com/", "example.com/article", "//example.com/a", "", "   ",
    "http://", "http:///path", "http://exa mple.com/", "http://example.com:99999/",
    "http://example.com:0/", "http://[::1/", "http://bad_host!.com/", "http://a..b/",
    "http://example.com/\r\nX-Injected: 1",
])
def test_check_url_refuses(url):
    with pytest.raises(FetchError, match="refused"):
        check_url(url)


def test_check_url_normalises():
    target = check_url("  HTTPS://User:Secret@Bücher.Example/päth?q=ü#frag ")
    assert target == Target("https", "xn--bcher-kva.example", 443, "/p%C3%A4th?q=%C3%BC")
    assert target.url == "https://xn--bcher-kva.example/p%C3%A4th?q=%C3%BC"
    assert check_url("http://[::1]:8080").url == "http://[::1]:8080/"


def test_refusal_messages_never_show_credentials():
    for url in ("ftp://alice:s3cret@files.example/x", "http://alice:s3cret@host:99999/"):
        with pytest.raises(FetchError) as refused:
            check_url(url)
        assert "s3cret" not in str(refused.value) and "alice" not in str(refused.value)


@settings(max_examples=100)
@given(st.text())
def test_check_url_never_crashes_on_arbitrary_text(text):
    _assert_checked(text)


@settings(max_examples=100)
@given(st.sampled_from(["http", "https", "HTTP", "file", "ftp", "javascript", "data", "gopher", ""]),
       st.sampled_from([":", "://", ":///", "://user:pw@"]),
       st.text())
def test_check_url_only_accepts_http_and_https(scheme, separator, rest):
    _assert_checked(scheme + separator + rest)


def _assert_checked(text: str) -> None:
    try:
        target = check_url(text)
    except FetchError as refused:
        assert str(refused).startswith("refused")
        return
    assert target.scheme in ("http", "https")
    assert target.path.startswith("/") and target.url.isascii()
    assert "@" not in target.url.split("/")[2]  # no credentials in the authority


_USERINFO_PART = st.text(st.characters(blacklist_characters="/?#@"), min_size=1)


@settings(max_examples=100)
@given(_USERINFO_PART, _USERINFO_PART, st.text())
def test_redact_url_removes_userinfo(user, password, rest):
    assert redact_url(f"https://{user}:{password}@host.example/{rest}").startswith("https://host.example/")


# ----------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 whose certificate names only ``news.test``."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=news.test",
         "-addext", "subjectAltName=DNS:news.test"],
        capture_output=True, timeout=30,
    )
    if made.returncode != 0:
        pytest.skip("openssl could not make a test certificate")
    httpd = _Server(("127.0.0.1", 0), _Handler)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    httpd.socket = server_context.wrap_socket(httpd.socket, server_side=True)
    client_context = ssl.create_default_context(cafile=str(cert))
    thread = _start(httpd)
    yield httpd, client_context
    _stop(httpd, thread)


def test_https_uses_the_host_name_for_sni_and_certificate(tls_server, connections):
    httpd, client_context = tls_server
    resolver = StubResolver({"news.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    page = fetch(f"https://news.test:{httpd.server_port}/article", TEST_POLICY,
                 resolver=resolver, tls_context=client_context)
    assert page.body == ARTICLE
    assert connections == [("127.0.0.1", httpd.server_port)]
    with pytest.raises(FetchError, match="TLS certificate was refused"):
        fetch(f"https://other.test:{httpd.server_port}/article", TEST_POLICY,
              resolver=resolver, tls_context=client_context)


def test_https_certificate_must_be_trusted(tls_server):
    httpd, _ = tls_server
    resolver = StubResolver({"news.test": ["127.0.0.1"]})
    with pytest.raises(FetchError, match="TLS certificate was refused"):
        fetch(f"https://news.test:{httpd.server_port}/article", TEST_POLICY, resolver=resolver)
