"""URLs as input, against a local HTTP server on 127.0.0.1 started here: pages, feeds and every failure.

Nothing in this module contacts any host but 127.0.0.1 (and 127.0.0.2). detente refuses local addresses
unless allowed, so these tests allow them (``LOCAL``), except those about that refusal.
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from click.testing import CliRunner

from detente.errors import InputError, TooLargeError, UnsupportedFormatError
from detente.ingest import FetchLimits, IngestOptions, read_paths, read_url
from detente.ingest.http import USER_AGENT, fetch, is_url
from detente.records import Article, to_dict
from detente.version import __version__

S1 = "Russia and China signed an energy agreement in Beijing on Monday, officials said."
S2 = "Ukrainian forces shelled a Russian border village overnight, the regional governor said."
S3 = "Turkey offered to mediate talks between Armenia and Azerbaijan, the foreign ministry said."

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Energy deal signed | Local Wire</title>
<meta property="og:site_name" content="Local Wire">
<meta property="article:published_time" content="2025-06-09T08:00:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Energy deal signed</h1>
<p>{S1} The agreement runs for thirty years and covers pipeline gas.</p>
<p>{S2} Officials in Kyiv did not comment on the report.</p>
<p>{S3} No date for the talks was set, the ministry added.</p>
</article>
<footer>Copyright Local Wire. All rights reserved.</footer>
</body></html>"""

FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Local Wire</title>
<item><title>Deal</title><link>https://wire.example/deal</link><pubDate>Mon, 09 Jun 2025 08:00:00 GMT</pubDate>
<description>{S1}</description></item>
<item><title>Shelling</title><link>https://wire.example/shelling</link><description>{S2}</description></item>
</channel></rss>"""

BIG = 10_000_000 + 1


class Handler(BaseHTTPRequestHandler):
    seen_agents: ClassVar[list[str]] = []  # User-Agent of every request, for the header test
    seen: ClassVar[list[tuple[str, str]]] = []  # (path, Authorization) of every request

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def send(self, status: int, body: bytes, content_type: str | None, **headers: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        Handler.seen.append((self.path, self.headers.get("Authorization", "")))
        path = self.path
        try:
            if path == "/story.html":
                self.send(200, PAGE.encode(), "text/html; charset=utf-8")
            elif path == "/latin1.html":
                self.send(
                    200,
                    PAGE.replace("signed", "signed café").encode("latin-1"),
                    "text/html; charset=iso-8859-1",
                )
            elif path == "/untyped":
                self.send(200, PAGE.encode(), None)
            elif path == "/feed":
                self.send(200, FEED.encode(), "application/rss+xml")
            elif path == "/note.txt":
                self.send(200, f"Deal signed\n\n{S1}".encode(), "text/plain")
            elif path == "/missing":
                self.send(404, b"not here", "text/html")
            elif path == "/forbidden":
                self.send(403, b"no robots", "text/html")
            elif path == "/error":
                self.send(503, b"down", "text/html")
            elif path.startswith("/redirect-to/"):  # /redirect-to/http://host:port/path
                self.send(302, b"", "text/html", Location=path.removeprefix("/redirect-to/"))
            elif path == "/loop":
                self.send(302, b"", "text/html", Location="/loop")
            elif path.startswith("/hop/"):
                left = int(path.rsplit("/", 1)[1])
                target = f"/hop/{left - 1}" if left else "/story.html"
                self.send(301, b"", "text/html", Location=target)
            elif path == "/doc.pdf":
                self.send(200, b"%PDF-1.4 not a page", "application/pdf")
            elif path == "/declared-big":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(BIG))
                self.end_headers()
                self.wfile.write(b"<html>" + b" " * 1000)
            elif path == "/streamed-big":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()  # no Content-Length: HTTP/1.0, the body runs until the connection closes
                chunk = b"<p>" + b"x" * 65_533
                for _ in range(BIG // len(chunk) + 2):
                    self.wfile.write(chunk)
            elif path == "/feed.txt":
                self.send(200, FEED.replace("https://wire.example/", "/items/").encode(), "text/plain")
            elif path == "/moved-feed":
                self.send(301, b"", "text/html", Location="/feeds/feed.txt")
            elif path == "/feeds/feed.txt":
                self.send(200, FEED.replace("https://wire.example/", "../items/").encode(), "text/plain")
            elif path == "/gzip-bomb":
                self.send(200, gzip.compress(b" " * BIG), "text/html", Content_Encoding="gzip")
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(40):
                    self.wfile.write(b"<p>x</p>")
                    self.wfile.flush()
                    time.sleep(0.05)
            elif path == "/slow":
                time.sleep(2)
                self.send(200, PAGE.encode(), "text/html")
            else:
                self.send(404, b"", "text/plain")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on purpose (size limit, timeout)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    # A proxy from the environment must not carry these requests off the machine.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


LOCAL = FetchLimits(allow_private=True)  # the test server is on 127.0.0.1


def read(*paths, allow_private: bool = True, **options):
    """What ``detente code PATHS [--allow-private]`` reads."""
    from detente.cli.code import read_inputs

    return list(read_inputs(paths, IngestOptions(**options), allow_private=allow_private))


def test_is_url_tells_urls_from_paths():
    assert is_url("https://example.org/a") and is_url("HTTP://x") and is_url("ftp://x/y")
    assert not is_url("examples/story.txt") and not is_url("C:\\news\\a.txt") and not is_url("story.html")


def test_html_page_becomes_one_article_with_page_metadata(server):
    Handler.seen_agents.clear()
    [article] = read(f"{server}/story.html")
    assert isinstance(article, Article)
    assert S1 in article.text and S3 in article.text
    assert "All rights reserved" not in article.text and "Sport" not in article.text
    assert article.title == "Energy deal signed" and article.outlet == "Local Wire"
    assert article.published is not None and article.published.isoformat().startswith("2025-06-09")
    assert article.url == f"{server}/story.html" and article.meta["source"] == f"{server}/story.html"
    assert Handler.seen_agents == [USER_AGENT] and USER_AGENT.startswith(f"detente/{__version__} ")


def test_header_charset_and_sniffed_type(server):
    [latin] = read(f"{server}/latin1.html")
    assert "signed café" in latin.text
    [untyped] = read(f"{server}/untyped")
    assert S1 in untyped.text


def test_plain_text_url(server):
    [article] = read(f"{server}/note.txt")
    assert article.title == "Deal signed" and article.text.endswith(S1)


def test_feed_url_codes_each_item(server):
    items = list(read_url(f"{server}/feed", IngestOptions(), LOCAL))
    assert [a.url for a in items] == ["https://wire.example/deal", "https://wire.example/shelling"]
    assert {a.outlet for a in items} == {"Local Wire"}
    assert items[0].meta["feed"] == f"{server}/feed"


def test_redirects_are_followed_up_to_the_limit_and_the_final_url_kept(server):
    [article] = read(f"{server}/hop/3")
    assert article.url == f"{server}/story.html" and article.meta["fetched_url"] == f"{server}/story.html"
    with pytest.raises(InputError, match=r"redirects more than 2 times"):
        fetch(f"{server}/hop/3", FetchLimits(max_redirects=2, allow_private=True))


@pytest.mark.parametrize(
    ("path", "error_type", "message"),
    [
        ("/missing", InputError, "answered HTTP 404 Not Found (check the URL; the page may have moved"),
        ("/forbidden", InputError, "answered HTTP 403 Forbidden (the site refuses automated access"),
        ("/error", InputError, "answered HTTP 503 Service Unavailable (the server failed; try again later)"),
        ("/loop", InputError, "redirects more than 5 times (a redirect loop?)"),
        ("/doc.pdf", UnsupportedFormatError, "is application/pdf, not a web page or a feed"),
        ("/declared-big", TooLargeError, "is larger than 10 MB; download stopped"),
        ("/streamed-big", TooLargeError, "is larger than 10 MB; download stopped"),
        ("/gzip-bomb", TooLargeError, "is larger than 10 MB; download stopped"),
    ],
)
def test_each_failure_is_one_error_naming_the_url(server, path, error_type, message):
    url = f"{server}{path}"
    [error] = read(url)
    assert type(error) is error_type
    assert str(error).startswith(f"{url}: {message}")


def test_feed_served_as_text_is_read_as_a_feed_and_relative_links_resolve_after_redirects(server):
    items = read(f"{server}/feed.txt")
    assert [a.url for a in items] == [f"{server}/items/deal", f"{server}/items/shelling"]
    moved = read(f"{server}/moved-feed")
    assert [a.url for a in moved] == [f"{server}/items/deal", f"{server}/items/shelling"]
    assert moved[0].meta["feed"] == f"{server}/moved-feed"


def test_a_dripping_server_cannot_hold_the_run(server):
    with pytest.raises(InputError, match=r": took longer than 0.5 s to download"):
        fetch(f"{server}/drip", FetchLimits(max_seconds=0.5, allow_private=True))


def test_dns_failure_is_named_as_such():
    import httpx

    def no_such_host(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    with pytest.raises(InputError) as caught:
        fetch("https://no-such-host.invalid/a", transport=httpx.MockTransport(no_such_host))
    assert str(caught.value) == (
        "https://no-such-host.invalid/a: host not found (DNS lookup failed)"
        " (check the spelling of the host and your network)"
    )


def test_timeout(server):
    with pytest.raises(InputError, match=r": timed out \(no answer within 0.3 s\)"):
        fetch(f"{server}/slow", FetchLimits(timeout=0.3, allow_private=True))


def test_refused_connection_and_unsupported_schemes_fetch_nothing():
    with socket.socket() as sock:  # a port that was free a moment ago and now has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/story.html"
    [error] = read(url)
    assert str(error) == f"{url}: connection refused (is the server up? check the host and port)"
    [error] = read("ftp://127.0.0.1/news.rss")
    assert isinstance(error, UnsupportedFormatError)
    assert "uses ftp://; detente fetches only http:// and https:// URLs" in str(error)
    [error] = read("file:///tmp/news.rss")
    assert str(error).endswith(
        "uses file://; detente fetches only http:// and https:// URLs (give the path without file://)"
    )


@pytest.mark.model
def test_cli_codes_urls_and_files_together_and_reports_the_bad_url(server, tmp_path):
    from detente.cli import cli

    runner = CliRunner()
    db = str(tmp_path / "d.db")
    local = tmp_path / "note.txt"
    local.write_text(S3)
    args = ["code", f"{server}/feed", f"{server}/missing", str(local), "--db", db, "--jsonl", "-", "-q",
            "--allow-private", "--workers", "0"]  # fmt: skip
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {server}/missing: answered HTTP 404 Not Found"
        " (check the URL; the page may have moved or been removed)\n"
    )
    urls = [json.loads(line)["article"]["url"] for line in result.stdout.splitlines()]
    assert urls == ["https://wire.example/deal", "https://wire.example/shelling", None]
    again = runner.invoke(cli, [a for a in args if a not in ("--jsonl", "-", "-q")], catch_exceptions=False)
    assert "3 already stored" in again.stderr


# -- network safety: local and private addresses, at every hop; credentials (issue 14) -----------------


@pytest.mark.parametrize(
    ("host", "address", "reason"),
    [
        ("127.0.0.1", "127.0.0.1", "a loopback address"),
        ("localhost", "127.0.0.1", "a loopback address"),
        ("127.1", "127.0.0.1", "a loopback address"),
        ("2130706433", "127.0.0.1", "a loopback address"),
        ("0x7f.0.0.1", "127.0.0.1", "a loopback address"),
        ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1", "a loopback address"),
        ("0.0.0.0", "0.0.0.0", "an unspecified address"),
        ("169.254.169.254", "169.254.169.254", "a cloud metadata address"),
        ("169.254.1.1", "169.254.1.1", "a link-local address"),
        ("10.1.2.3", "10.1.2.3", "a private address"),
        ("192.168.0.10", "192.168.0.10", "a private address"),
    ],
)
def test_local_private_and_metadata_addresses_are_refused_however_spelled(server, host, address, reason):
    port = server.rsplit(":", 1)[1]
    url = f"http://{host}:{port}/story.html?{host}"
    Handler.seen.clear()
    [error] = read(url, allow_private=False)
    assert isinstance(error, InputError)
    assert str(error) == (
        f"{url}: is {reason} ({address}); detente fetches only public addresses"
        " (pass --allow-private to fetch local and private addresses, from servers you trust)"
    )
    assert Handler.seen == []  # refused before connecting: the server saw nothing


def test_paths_and_feeds_read_by_the_library_refuse_local_addresses_by_default(server):
    [error] = list(read_paths([f"{server}/story.html"], IngestOptions()))
    assert "is a loopback address (127.0.0.1)" in str(error)
    with pytest.raises(InputError, match="is a loopback address"):
        list(read_url(f"{server}/feed", IngestOptions()))


@pytest.fixture
def second_server() -> Iterator[str]:
    """Another local server, on 127.0.0.2: where a redirect tries to lead."""
    httpd = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.2:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_redirect_to_a_local_address_is_refused_at_that_hop(server, second_server):
    # 127.0.0.1 stands in for a public site here; 127.0.0.2 is the local service it redirects to.
    public_only = FetchLimits(allowed_networks=("127.0.0.1/32",))
    assert fetch(f"{server}/hop/1", public_only).final_url == f"{server}/story.html"  # allowed hops pass
    Handler.seen.clear()
    url = f"{server}/redirect-to/{second_server}/story.html"
    with pytest.raises(InputError) as caught:
        fetch(url, public_only)
    assert str(caught.value).startswith(
        f"{url}: redirects to {second_server}/story.html, which is a loopback address (127.0.0.2);"
    )
    assert [path for path, _ in Handler.seen] == [f"/redirect-to/{second_server}/story.html"]


def test_a_name_that_changes_its_answer_after_the_check_is_caught_at_connect(server, monkeypatch):
    """DNS rebinding: public when checked, loopback when connected. The socket's own address is checked."""
    import detente.ingest.http as http

    answers = iter([["93.184.215.14"], ["127.0.0.1"]])
    monkeypatch.setattr(http, "_resolve", lambda host, port: next(answers))
    port = server.rsplit(":", 1)[1]
    Handler.seen.clear()
    with pytest.raises(InputError) as caught:
        fetch(f"http://rebind.test:{port}/story.html")
    assert "leads to rebind.test, which is a loopback address (127.0.0.1)" in str(caught.value)
    assert Handler.seen == []


def test_credentials_in_a_url_are_used_but_never_stored_or_shown(server):
    port = server.rsplit(":", 1)[1]
    Handler.seen.clear()
    [article] = read(f"http://reader:s3cret@127.0.0.1:{port}/story.html")
    assert article.url == f"{server}/story.html" and article.meta["source"] == f"{server}/story.html"
    assert "s3cret" not in json.dumps(to_dict(article))
    [(path, authorization)] = Handler.seen
    assert path == "/story.html" and authorization.startswith("Basic ")  # sent to the server, as given
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    [error] = read(f"http://reader:s3cret@127.0.0.1:{closed}/x")
    assert str(error).startswith(f"http://127.0.0.1:{closed}/x: connection refused")


@pytest.mark.model
def test_cli_refuses_a_local_url_unless_allowed(server, tmp_path, nlp):
    from detente.cli import cli

    runner = CliRunner()
    db = str(tmp_path / "d.db")
    refused = runner.invoke(cli, ["code", f"{server}/note.txt", "--db", db, "-q", "--workers", "0"])
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"error: {server}/note.txt: is a loopback address (127.0.0.1);")
    allowed = runner.invoke(
        cli, ["code", f"{server}/note.txt", "--db", db, "-q", "--workers", "0", "--allow-private"]
    )
    assert allowed.exit_code == 0, allowed.stderr
