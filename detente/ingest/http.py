"""Web pages and feeds named by URL to ``Article`` records, fetched with httpx under hard limits.

Nothing is fetched unless the user names a URL. Limits: http/https only, a timeout per network operation
and for the whole download, at most a few redirects, and a body cap enforced while streaming (on the
decoded bytes, so a compressed bomb stops too). The response's content type decides how it is read:
HTML page, RSS/Atom feed or plain text; anything else is refused before its body is downloaded.

Only public addresses are fetched unless ``FetchLimits.allow_private`` (``--allow-private``): a URL or
a redirect that leads to a loopback, private, link-local, cloud-metadata or otherwise non-public address
is refused, however it is spelled (``localhost``, ``127.1``, ``2130706433``, ``[::ffff:127.0.0.1]``, a
DNS name that resolves there). The check runs twice for every hop: before the request, on the host's
DNS answers, and again when the socket connects, on the very address it connects to, so a name that
changes its answer in between (DNS rebinding) is caught too. Behind a proxy from the environment only
the first check can run, because the proxy connects. Credentials in a URL (``user:pass@``) are used for
the request but never stored or shown: articles and messages carry the URL without them.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from detente.errors import InputError, TooLargeError, UnsupportedFormatError
from detente.ingest.feeds import read_feed
from detente.ingest.files import IngestOptions, make_article
from detente.ingest.html import extract_html
from detente.ingest.text import decode, normalize
from detente.records import Article
from detente.version import __version__

USER_AGENT = f"detente/{__version__} (news event coder; fetches only URLs its user names)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/rdf+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,text/plain;q=0.8"
)
FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml",
    "application/x-rss+xml", "application/xml", "text/xml",
})  # fmt: skip
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SAVE_HINT = "open it in a browser, save the page, and code the saved file"


@dataclass(frozen=True, slots=True)
class FetchLimits:
    timeout: float = 10.0  # seconds per network operation (connect, each read)
    max_seconds: float = 60.0  # the whole download, so a server dripping bytes cannot hold a run
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    # Fetch loopback, private, link-local and metadata addresses too (a local test server, an intranet).
    allow_private: bool = False
    # Networks allowed even so, e.g. ("10.20.0.0/16",) for one intranet news server.
    allowed_networks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # as the user gave it
    final_url: str  # after redirects
    kind: str  # "html", "feed" or "text"
    charset: str | None
    body: bytes


class BlockedAddress(Exception):
    """A hop of a fetch leads to an address the limits do not allow."""

    def __init__(self, host: str, address: str, reason: str, url: str | None = None) -> None:
        super().__init__(host, address, reason)
        self.host, self.address, self.reason, self.url = host, address, reason, url


_METADATA = {
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
}


def address_refusal(address: str, limits: FetchLimits) -> str | None:
    """Why detente may not connect to this IP address under these limits, or None when it may."""
    if limits.allow_private:
        return None
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64 carries an IPv4 address
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    if any(ip in ipaddress.ip_network(n, strict=False) for n in limits.allowed_networks):
        return None
    if ip in _METADATA:
        return "a cloud metadata address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if ip.is_multicast or not ip.is_global:
        return "not a public address"
    return None


def _resolve(host: str, port: int) -> list[str]:
    """Every address a host name (or IP literal in any spelling) stands for."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_host(host: str, port: int, limits: FetchLimits, url: str | None = None) -> None:
    """Raise BlockedAddress when any address of ``host`` is not allowed (a name with one private answer
    among public ones is refused: which one a connection gets is not ours to choose)."""
    if limits.allow_private:
        return
    for address in _resolve(host.strip("[]"), port):
        reason = address_refusal(address, limits)
        if reason:
            raise BlockedAddress(host, address, reason, url)


def _guarded_transport(limits: FetchLimits) -> Any:
    """An httpx transport whose every connection checks the address it connects to."""
    import httpcore
    import httpx

    class GuardedBackend(httpcore.SyncBackend):  # type: ignore[misc]
        def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
            last: Exception | None = None
            try:
                addresses = _resolve(host, port)
            except OSError as exc:
                raise httpcore.ConnectError(f"[getaddrinfo] {exc}") from exc
            for address in addresses:
                reason = address_refusal(address, limits)
                if reason:
                    raise BlockedAddress(host, address, reason)
            for address in addresses:  # connect to the address checked, not to a fresh DNS answer
                try:
                    return super().connect_tcp(address, port, *args, **kwargs)
                except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                    last = exc
            raise last or httpcore.ConnectError(f"no address for {host}")

    class GuardedTransport(httpx.HTTPTransport):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            # httpx 0.28 takes no network backend, so its pool is rebuilt with one (same defaults;
            # TLS still verifies and sends SNI for the host name, not the address connected to).
            self._pool = httpcore.ConnectionPool(
                ssl_context=httpx.create_ssl_context(),
                max_connections=httpx.Limits().max_connections,
                network_backend=GuardedBackend(),
            )

    return GuardedTransport()


def without_credentials(url: str) -> str:
    """The URL without ``user:password@``: what is stored and shown."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def is_url(value: object) -> bool:
    """Whether a command-line argument names a URL (any scheme) rather than a path."""
    return isinstance(value, str) and bool(_SCHEME.match(value))


def read_url(
    url: str, options: IngestOptions, limits: FetchLimits | None = None
) -> Iterator[Article | InputError]:
    """Articles from a URL: one for a page or a text, one per item for a feed. Raises InputError."""
    fetched = fetch(url, limits)
    url = fetched.url  # without credentials from here on: it is stored and shown
    if fetched.kind == "feed":
        yield from read_feed(fetched.body, url, options, url=fetched.final_url)
        return
    text = _decode(fetched)
    fields: dict[str, Any]
    if fetched.kind == "html":
        fields = extract_html(text, url)
        if not is_url(fields.get("url")) or urlsplit(fields["url"]).scheme not in ("http", "https"):
            fields["url"] = fetched.final_url  # trafilatura's canonical link when the page has one
        fields["url"] = without_credentials(fields["url"])
    else:
        text = normalize(text)
        first_line = text.split("\n", 1)[0].strip()
        fields = {"text": text, "title": first_line if 0 < len(first_line) <= 200 else None}
        fields["url"] = fetched.final_url
    fields["meta"] = {
        "source": url,
        **({"fetched_url": fetched.final_url} if fetched.final_url != url else {}),
    }
    yield make_article(fields, url, options)


def fetch(url: str, limits: FetchLimits | None = None, *, transport: Any = None) -> Fetched:
    """GET a URL within limits; every failure is one InputError naming the URL and what to do.

    ``transport`` is an ``httpx.BaseTransport`` to use instead of the network (tests, custom proxies);
    the address check before each request still applies to it.
    """
    limits = limits or FetchLimits()
    given, url = url, without_credentials(url)
    _check_scheme(given, url)
    import httpx

    def check_hop(request: httpx.Request) -> None:
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        with contextlib.suppress(OSError):  # no DNS answer: the connection fails with its own message
            check_host(request.url.host, port, limits, without_credentials(str(request.url)))

    if transport is None and not limits.allow_private and not _proxy_from_environment():
        transport = _guarded_transport(limits)
    try:
        with (
            httpx.Client(
                follow_redirects=True, max_redirects=limits.max_redirects, timeout=limits.timeout,
                headers={"User-Agent": USER_AGENT, "Accept": ACCEPT}, transport=transport,
                event_hooks={"request": [check_hop]},
            ) as client,
            client.stream("GET", given) as response,
        ):  # fmt: skip
            final_url = without_credentials(str(response.url))
            _check_status(url, response.status_code, response.reason_phrase)
            kind, charset = _kind(url, response.headers.get("content-type"))
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise _too_large(url, limits)
            body = _read_body(url, response.iter_bytes(), limits)
    except BlockedAddress as exc:
        hop = f"redirects to {exc.url}, which is" if exc.url and exc.url != url else "is"
        if exc.url is None:
            hop = f"leads to {exc.host}, which is"
        raise InputError(
            url, f"{hop} {exc.reason} ({exc.address}); detente fetches only public addresses",
            hint="pass --allow-private to fetch local and private addresses, from servers you trust",
        ) from None  # fmt: skip
    except httpx.TooManyRedirects as exc:
        raise InputError(
            url, f"redirects more than {limits.max_redirects} times (a redirect loop?)",
            hint="open it in a browser to see where it leads, and give the final URL",
        ) from exc  # fmt: skip
    except httpx.TimeoutException as exc:
        raise InputError(
            url, f"timed out (no answer within {limits.timeout:g} s)",
            hint="the server is slow or unreachable; try again later, or " + _SAVE_HINT,
        ) from exc  # fmt: skip
    except httpx.ConnectError as exc:
        raise _connect_error(url, exc) from exc
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise InputError(
            url, f"is not a URL detente can fetch ({exc})", hint="give an http:// or https:// URL"
        ) from exc
    except httpx.HTTPError as exc:
        raise InputError(
            url, f"could not be fetched ({type(exc).__name__}: {exc})", hint="try again later, or " + _SAVE_HINT
        ) from exc  # fmt: skip
    if kind in ("unknown", "text"):
        # Feeds are often served as text/plain or with no type at all; the first bytes tell.
        kind = _sniff(body) if kind == "unknown" else ("feed" if _sniff(body) == "feed" else kind)
        if kind == "unknown":
            raise UnsupportedFormatError(
                url, "sent no content type and does not look like HTML or a feed", hint=_SAVE_HINT
            )
    if not body.strip():
        raise InputError(url, "returned an empty body", hint="check the URL")
    return Fetched(url=url, final_url=final_url, kind=kind, charset=charset, body=body)


def _proxy_from_environment() -> bool:
    # With a proxy the proxy connects, so the connect-time check has nothing to see; httpx is then left
    # to use the environment's proxies as before, and the check before each request still runs.
    import urllib.request

    return any(k in urllib.request.getproxies() for k in ("http", "https", "all"))


def _check_scheme(url: str, where: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsupportedFormatError(
            where, f"uses {scheme or 'no'}://; detente fetches only http:// and https:// URLs",
            hint="give the path without file://" if scheme == "file" else "download it and give detente the file",
        )  # fmt: skip


def _check_status(url: str, status: int, reason: str) -> None:
    if status < 400:
        return
    if status in (401, 403, 451):
        hint = "the site refuses automated access; " + _SAVE_HINT
    elif status in (404, 410):
        hint = "check the URL; the page may have moved or been removed"
    elif status == 429:
        hint = "the site is rate-limiting; wait and run the same command again (stored articles are skipped)"
    elif status >= 500:
        hint = "the server failed; try again later"
    else:
        hint = "check the URL"
    raise InputError(url, f"answered HTTP {status} {reason}".rstrip(), hint=hint)


def _kind(url: str, content_type: str | None) -> tuple[str, str | None]:
    """("html" | "feed" | "text" | "unknown", charset) from a Content-Type header."""
    if not content_type:
        return "unknown", None
    mime, _, params = content_type.partition(";")
    mime = mime.strip().lower()
    found = re.search(r"charset\s*=\s*\"?([\w.:-]+)", params, re.IGNORECASE)
    charset = found.group(1) if found else None
    if mime in HTML_TYPES:
        return "html", charset
    if mime in FEED_TYPES or mime.endswith(("+xml", "/rss", "/atom")):
        return "feed", charset
    if mime in TEXT_TYPES:
        return "text", charset
    if mime in ("application/octet-stream", "binary/octet-stream"):
        return "unknown", charset
    raise UnsupportedFormatError(
        url, f"is {mime}, not a web page or a feed",
        hint="detente reads HTML pages, RSS/Atom feeds and plain text; convert other documents to text first",
    )  # fmt: skip


def _sniff(body: bytes) -> str:
    head = body[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith(b"<?xml") or re.match(rb"<(rss|feed|rdf:rdf)\b", head):
        return "feed"
    return "unknown"


def _read_body(url: str, chunks: Iterator[bytes], limits: FetchLimits) -> bytes:
    deadline = time.monotonic() + limits.max_seconds
    parts: list[bytes] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limits.max_bytes:
            raise _too_large(url, limits)
        if time.monotonic() > deadline:
            raise InputError(
                url,
                f"took longer than {limits.max_seconds:g} s to download",
                hint="try again later, or " + _SAVE_HINT,
            )
        parts.append(chunk)
    return b"".join(parts)


def _too_large(url: str, limits: FetchLimits) -> TooLargeError:
    return TooLargeError(
        url, f"is larger than {limits.max_bytes / 1e6:g} MB; download stopped",
        hint="news pages and feeds are far smaller; check the URL, or save the file and split it",
    )  # fmt: skip


def _connect_error(url: str, exc: Exception) -> InputError:
    text = str(exc)
    lowered = text.lower()
    if "refused" in lowered:
        return InputError(url, "connection refused", hint="is the server up? check the host and port")
    if any(
        s in lowered
        for s in ("name or service not known", "nodename nor servname", "getaddrinfo", "name resolution")
    ):
        return InputError(
            url, "host not found (DNS lookup failed)", hint="check the spelling of the host and your network"
        )
    if "certificate" in lowered or "ssl" in lowered:
        return InputError(
            url, f"TLS failed ({text})", hint="the site's certificate is not trusted; check the URL"
        )
    return InputError(
        url, f"could not connect ({text or type(exc).__name__})", hint="check the URL and your network"
    )


def _decode(fetched: Fetched) -> str:
    if fetched.charset:
        try:
            return fetched.body.decode(fetched.charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown header charset: detect from the bytes instead
    return decode(fetched.body, fetched.url)
