"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds to ``Article`` records, one per item, with the standard library.

Each item becomes an article: its title, its link as url, its date (RFC 822 or ISO 8601) as published, the
feed's own title as outlet, and its text from ``content:encoded`` / ``content`` / ``description`` /
``summary``. HTML item bodies go through ``extract_html`` when they are long enough for boilerplate
removal to help; short snippets are tag-stripped.

Feeds come from strangers, so a DOCTYPE with an internal subset (the only place entity declarations can
live) is refused before any entity is read: no billion laughs, no external entities. Feeds are parsed
whole, so their size is capped.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import pyexpat
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from detente.errors import EmptyInputError, InputError, TooLargeError, UnsupportedFormatError
from detente.ingest.files import IngestOptions, make_article, unexpected_error
from detente.ingest.html import extract_html
from detente.ingest.text import normalize
from detente.records import Article, parse_published

MAX_FEED_BYTES = 50_000_000  # a feed is parsed into memory whole; real feeds are a few MB at most
EXTRACT_MIN_CHARS = 500  # below this an item body is a snippet: trafilatura would drop most of it
EXTRACT_MIN_SHARE = 0.6  # keep trafilatura's text only when it kept most of the item body

ATOM = "http://www.w3.org/2005/Atom"
_BROKEN_HINT = "check that it is an RSS or Atom feed; if it was cut off, download it again"

_HTML_TAG = re.compile(
    r"<(?:p|br|div|span|a|img|ul|ol|li|h[1-6]|strong|em|b|i|u|blockquote|figure|figcaption|table|section"
    r"|article|iframe|script|style)\b[^>]*>",
    re.IGNORECASE,
)
_DROPPED_BLOCKS = re.compile(r"<(script|style|noscript|iframe)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_BREAK = re.compile(
    r"<\s*(?:/p|/div|/li|/h[1-6]|/blockquote|/tr|/figcaption|/section|/article)\b[^>]*>"
    r"|<\s*(?:p|li|h[1-6])\b[^>]*>",
    re.IGNORECASE,
)
_LINE_BREAK = re.compile(r"<\s*br\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
_SPACED_LINES = re.compile(r" *\n *")


_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']{1,40})["']""")


class _DoctypeRefused(Exception):
    pass


class _PrologRead(Exception):
    pass


def _refuse_internal_subset(data: bytes, where: str) -> None:
    """Read the prolog only (stop at the root element): a DOCTYPE with an internal subset is refused.

    Entity declarations can live only in that subset, and expat reports it as the DOCTYPE starts, before
    any declaration is read. A DOCTYPE naming only an external DTD (old RSS 0.91 feeds) is harmless:
    expat never loads it.
    """

    def doctype(name: str, system: str | None, public: str | None, has_internal_subset: int) -> None:
        if has_internal_subset:
            raise _DoctypeRefused(name)

    def element(*_: object) -> None:
        raise _PrologRead

    parser = pyexpat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = element
    try:
        parser.Parse(data, True)
    except _PrologRead:
        return
    except _DoctypeRefused as exc:
        raise InputError(
            where, f"declares entities in its DOCTYPE ({exc}); detente refuses DOCTYPE and ENTITY declarations"
            " in feeds", hint="real RSS and Atom feeds have none; remove them if you trust the file",
        ) from exc  # fmt: skip
    except pyexpat.ExpatError:
        return  # malformed: the real parse reports it with its position
    except ValueError as exc:  # expat refuses some declared encodings outright (utf-7, multi-byte ones)
        raise _encoding_refused(data, where, exc) from exc


def _encoding_refused(data: bytes, where: str, exc: ValueError) -> InputError:
    declared = _DECLARED_ENCODING.search(data[:200])
    name = declared.group(1).decode("ascii", "replace") if declared else "an encoding"
    return InputError(
        where, f"declares {name!r}, which the XML parser cannot read ({exc})",
        hint="re-save the feed as UTF-8 and fix its <?xml ... encoding=...?> declaration",
    )  # fmt: skip


def read_feed_file(path: Path, options: IngestOptions) -> Iterator[Article | InputError]:
    size = path.stat().st_size
    if size > MAX_FEED_BYTES:
        raise TooLargeError(
            path, f"is {size / 1e6:.0f} MB, over the {MAX_FEED_BYTES / 1e6:.0f} MB limit for a feed",
            hint="split the feed, or convert its items to a .jsonl file (one article per line)",
        )  # fmt: skip
    yield from read_feed(path.read_bytes(), str(path), options)


def read_feed(
    data: bytes, where: str, options: IngestOptions, *, url: str | None = None
) -> Iterator[Article | InputError]:
    """Articles of a feed's items; an item that cannot be coded is yielded as an InputError naming it.

    A feed that cannot be parsed at all raises one InputError naming ``where`` (a file or a URL).
    ``url`` is where the feed was fetched from (after redirects), for resolving relative item links.
    """
    root = parse_feed_xml(data, where)
    kind = _local(root.tag)
    if kind == "rss":
        channel = _child(root, "channel")
        if channel is None:
            raise EmptyInputError(where, "is an RSS feed without a <channel>", hint=_BROKEN_HINT)
        outlet, items = _text_of(_child(channel, "title")), _children(channel, "item")
        site = _text_of(_child(channel, "link"))
    elif kind == "RDF":
        channel = _child(root, "channel")
        outlet, items = _text_of(_child(channel, "title")), _children(root, "item")
        site = _text_of(_child(channel, "link"))
    elif kind == "feed":
        outlet, items = _text_of(_child(root, "title")), _children(root, "entry")
        site = _atom_link(root)
    else:
        raise UnsupportedFormatError(
            where, f"is XML but not an RSS or Atom feed (its root element is <{kind}>)",
            hint="detente reads RSS 2.0, RSS 1.0 (RDF) and Atom feeds; give other XML as .txt or .jsonl",
        )  # fmt: skip
    if not items:
        raise EmptyInputError(where, "is a feed with no items", hint="nothing to code; is it the right feed?")
    # Relative item links resolve against xml:base, else the feed's URL, else the site the feed names.
    base = urljoin(url or (where if _ABSOLUTE.match(where) else site), root.get(_XML_BASE, ""))
    for number, item in enumerate(items, start=1):
        label = f"{where} item {number}"
        try:
            yield _item_article(item, kind, base, label, outlet, where, options)
        except InputError as exc:
            yield exc
        except Exception as exc:  # one item never ends a feed (deep xhtml nesting, odd markup)
            yield unexpected_error(label, exc)


def _item_article(
    item: ET.Element, kind: str, base: str, label: str, outlet: str, where: str, options: IngestOptions
) -> Article:
    fields = _item_fields(item, kind)
    if fields["url"] and not _ABSOLUTE.match(fields["url"]) and _ABSOLUTE.match(base):
        fields["url"] = urljoin(urljoin(base, item.get(_XML_BASE, "")), fields["url"])
    label += f" ({fields['url']})" if fields.get("url") else ""
    if not fields.get("text"):
        raise EmptyInputError(
            label, "has no text (no content, description or summary)",
            hint="the feed carries only headlines; code the linked page with 'detente code URL'",
        )  # fmt: skip
    fields["outlet"] = _plain(outlet) or None
    fields["meta"] = {"source": label, "feed": where, **fields.get("meta", {})}
    return make_article(fields, label, options)


def parse_feed_xml(data: bytes, where: str) -> ET.Element:
    """The feed's root element; InputError for malformed XML and for entity declarations (XML bombs)."""
    _refuse_internal_subset(data, where)
    parser = ET.XMLParser()
    try:
        parser.feed(data)
        return parser.close()
    except ET.ParseError as exc:
        raise InputError(where, f"is not a well-formed feed ({exc})", hint=_BROKEN_HINT) from exc
    except ValueError as exc:
        raise _encoding_refused(data, where, exc) from exc


def _item_fields(item: ET.Element, kind: str) -> dict[str, Any]:
    if kind == "feed":
        bodies = [_atom_body(_child(item, "content")), _atom_body(_child(item, "summary"))]
        link = _atom_link(item)
        dates = [_text_of(_child(item, "published")), _text_of(_child(item, "updated"))]
        guid = _text_of(_child(item, "id"))
    else:
        bodies = [_text_of(_child(item, "encoded")), _text_of(_child(item, "description"))]
        link = _text_of(_child(item, "link")) or (item.get(_RDF_ABOUT) or "").strip()
        guid_el = _child(item, "guid")
        guid = _text_of(guid_el)
        if not link and guid.startswith(("http://", "https://")) and guid_el is not None:
            link = guid if guid_el.get("isPermaLink", "true") != "false" else ""
        dates = [_text_of(_child(item, "pubDate")), _text_of(_child(item, "date"))]
    text = next((t for t in (html_to_text(b, link) for b in bodies if b) if t), "")
    raw_date = next((d for d in dates if d), "")
    published = parse_feed_date(raw_date) or raw_date or None
    meta = {"guid": guid} if guid else {}
    return {"text": text, "title": _plain(_text_of(_child(item, "title"))), "url": link or None,
            "published": published, "meta": meta}  # fmt: skip


_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_ABSOLUTE = re.compile(r"^https?://", re.IGNORECASE)


def _atom_body(element: ET.Element | None) -> str:
    """Atom text constructs: type text (plain), html (escaped markup) or xhtml (inline elements)."""
    if element is None or element.get("src"):
        return ""
    if element.get("type") == "xhtml":
        for el in element.iter():
            el.tag = _local(el.tag)  # plain <p>, not <html:p>, so the markup reads as HTML
        inner = [ET.tostring(child, encoding="unicode") for child in element]
        return (element.text or "") + "".join(inner)  # the xhtml div and its children, as markup
    return _text_of(element)


def _atom_link(entry: ET.Element) -> str:
    links = [el for el in entry if _local(el.tag) == "link" and el.get("href")]
    for link in links:
        if link.get("rel", "alternate") == "alternate":
            return link.get("href", "").strip()
    return links[0].get("href", "").strip() if links else ""


def parse_feed_date(value: str) -> dt.date | dt.datetime | None:
    """RFC 822 (RSS pubDate) or ISO 8601 (Atom, Dublin Core) to a date/datetime; None when neither."""
    value = value.strip()
    if not value:
        return None
    iso = parse_published(value)
    if iso is not None:
        return iso
    try:
        return email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def html_to_text(markup: str, where: str) -> str:
    """Text of an item body: boilerplate-free via trafilatura when long, else tags stripped."""
    if not _HTML_TAG.search(markup):
        return normalize(html.unescape(markup) if "&" in markup else markup)
    stripped = strip_tags(markup)
    if len(stripped) >= EXTRACT_MIN_CHARS:
        try:
            extracted = str(
                extract_html(f"<html><body><article>{markup}</article></body></html>", where)["text"]
            )
        except InputError:
            extracted = ""
        if len(extracted) >= EXTRACT_MIN_SHARE * len(stripped):
            return extracted
    return stripped


def strip_tags(markup: str) -> str:
    """Markup to text: scripts dropped, block ends become paragraph breaks, entities decoded."""
    markup = _DROPPED_BLOCKS.sub(" ", markup)
    markup = _SPACES.sub(" ", markup)  # source line breaks inside a paragraph are spaces
    markup = _LINE_BREAK.sub("\n", _BLOCK_BREAK.sub("\n\n", markup))
    text = html.unescape(_ANY_TAG.sub("", markup))
    return normalize(_SPACED_LINES.sub("\n", text))


def _plain(value: str) -> str:
    return strip_tags(value) if "<" in value or "&" in value else value


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    # Matched on the local name: feeds mix namespaces freely (content:encoded, dc:date, RSS 1.0 default ns).
    if element is None:
        return None
    return next((el for el in element if _local(el.tag) == name), None)


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in element if _local(el.tag) == name]


def _text_of(element: ET.Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""
