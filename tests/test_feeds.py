"""Feeds (RSS 2.0, RSS 1.0/RDF, Atom) to articles: fields, HTML bodies, dates, broken and hostile feeds."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from detente.errors import EmptyInputError, InputError, TooLargeError, UnsupportedFormatError
from detente.ingest import IngestOptions, read_paths
from detente.ingest.feeds import html_to_text, parse_feed_date, strip_tags
from detente.records import Article

S1 = "Russia and China signed an energy agreement in Beijing on Monday, officials said."
S2 = "Ukrainian forces shelled a Russian border village overnight, the regional governor said."
S3 = "Turkey offered to mediate talks between Armenia and Azerbaijan, the foreign ministry said."
GERMAN = "Der russische Geheimdienst FSB betrachtet China als Feind mit territorialen Ansprüchen und warnt vor Spionage."

RSS2 = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Wire &amp; Post</title>
    <link>https://wire.example/</link>
    <item>
      <title>Energy deal signed</title>
      <link>https://wire.example/energy</link>
      <guid isPermaLink="false">wire-1</guid>
      <pubDate>Mon, 09 Jun 2025 08:30:00 +0000</pubDate>
      <description>A short teaser.</description>
      <content:encoded><![CDATA[<p>{S1}</p>
        <p>The deal covers
        gas &amp; oil.<script>track()</script></p>]]></content:encoded>
    </item>
    <item>
      <title>Shelling &lt;b&gt;overnight&lt;/b&gt;</title>
      <link>https://wire.example/shelling</link>
      <dc:date>2025-06-08T22:00:00Z</dc:date>
      <description>&lt;p&gt;{S2}&lt;br/&gt;More follows.&lt;/p&gt;</description>
    </item>
    <item>
      <title>Headline only</title>
      <link>https://wire.example/headline</link>
    </item>
    <item>
      <title>Auf Deutsch</title>
      <guid>https://wire.example/de</guid>
      <pubDate>not a date</pubDate>
      <description>{GERMAN}</description>
    </item>
  </channel>
</rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Atom Daily</title>
  <id>urn:uuid:feed</id>
  <updated>2025-06-09T12:00:00Z</updated>
  <entry>
    <title>Talks offered</title>
    <link rel="self" href="https://atom.example/api/1"/>
    <link rel="alternate" href="https://atom.example/talks"/>
    <id>urn:uuid:1</id>
    <published>2025-06-07T09:00:00+02:00</published>
    <updated>2025-06-09T10:00:00Z</updated>
    <content type="html">&lt;p&gt;{S3}&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Inline markup</title>
    <link href="https://atom.example/inline"/>
    <id>urn:uuid:2</id>
    <updated>2025-06-09</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{S1}</p><p>Second <b>part</b>.</p></div></content>
  </entry>
  <entry>
    <title>Summary only</title>
    <link href="https://atom.example/summary"/>
    <id>urn:uuid:3</id>
    <content src="https://atom.example/summary.pdf" type="application/pdf"/>
    <summary>{S2}</summary>
  </entry>
</feed>
"""

RDF = f"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/">
    <title>RDF Review</title>
    <link>https://rdf.example/</link>
  </channel>
  <item rdf:about="https://rdf.example/a">
    <title>First</title>
    <link>https://rdf.example/a</link>
    <dc:date>2025-06-05</dc:date>
    <description>{S1}</description>
  </item>
  <item rdf:about="https://rdf.example/b">
    <title>Second</title>
    <description>{S2}</description>
  </item>
</rdf:RDF>
"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss version="2.0"><channel><title>Bomb</title>
<item><title>x</title><description>&lol3;</description></item></channel></rss>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<rss version="2.0"><channel><title>Leak</title>
<item><title>x</title><description>&secret;</description></item></channel></rss>
"""


def read(*paths, **options):
    return list(read_paths(paths, IngestOptions(**options)))


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rss2_items_become_articles_with_metadata_and_html_bodies(tmp_path):
    path = write(tmp_path, "wire.rss", RSS2)
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Article", "Article", "EmptyInputError", "Article"]
    energy, shelling, headline, german = items

    # content:encoded (CDATA) wins over the teaser; paragraphs kept, source line breaks and scripts gone
    assert energy.text == f"{S1}\n\nThe deal covers gas & oil."
    assert energy.title == "Energy deal signed" and energy.outlet == "Wire & Post"
    assert energy.url == "https://wire.example/energy"
    assert energy.published == dt.datetime(2025, 6, 9, 8, 30, tzinfo=dt.UTC)
    assert energy.meta["guid"] == "wire-1" and energy.meta["feed"] == str(path)
    assert energy.skip_reason is None and energy.language == "en"

    # escaped HTML in description and title; dc:date when there is no pubDate
    assert shelling.text == f"{S2}\nMore follows."
    assert shelling.title == "Shelling overnight"
    assert shelling.published == dt.datetime(2025, 6, 8, 22, 0, tzinfo=dt.UTC)

    # the item without text is one error naming the feed and the item; the items after it still come
    assert str(headline).startswith(f"{path} item 3 (https://wire.example/headline): has no text")
    assert "detente code URL" in str(headline)

    # non-English items are stored as skipped, like other non-English articles; a permalink guid is the url
    assert german.skip_reason and "'de'" in german.skip_reason
    assert german.url == "https://wire.example/de"
    assert german.published is None and german.meta["unparsed_published"] == "not a date"


def test_atom_entries_take_alternate_link_published_date_and_each_content_kind(tmp_path):
    talks, inline, summary = read(write(tmp_path, "daily.atom", ATOM))
    assert all(isinstance(a, Article) for a in (talks, inline, summary))
    assert {a.outlet for a in (talks, inline, summary)} == {"Atom Daily"}

    assert talks.text == S3 and talks.url == "https://atom.example/talks"
    assert talks.published == dt.datetime(2025, 6, 7, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert talks.meta["guid"] == "urn:uuid:1"

    assert inline.text == f"{S1}\n\nSecond part."
    assert inline.published == dt.date(2025, 6, 9)

    # out-of-line content (src=) has no text here: the summary is used
    assert summary.text == S2 and summary.url == "https://atom.example/summary"


def test_rdf_items_are_siblings_of_the_channel(tmp_path):
    first, second = read(write(tmp_path, "review.xml", RDF))
    assert (first.title, first.url, first.outlet) == ("First", "https://rdf.example/a", "RDF Review")
    assert first.published == dt.date(2025, 6, 5) and first.text == S1
    assert second.url == "https://rdf.example/b"  # rdf:about when there is no <link>
    assert second.published is None


def test_feed_ids_are_stable_and_defaults_fill_what_items_lack(tmp_path):
    path = write(tmp_path, "review.rdf.xml", RDF)
    first = read(path, defaults={"published": "2025-06-01", "outlet": "Ignored"})
    again = read(path)
    assert [a.id for a in first] == [a.id for a in again]
    assert first[0].published == dt.date(2025, 6, 5) and first[1].published == dt.date(2025, 6, 1)
    assert first[1].outlet == "RDF Review"  # the channel title beats the default


def test_relative_item_links_resolve_against_xml_base_or_the_site(tmp_path):
    rss = f"""<rss version="2.0"><channel><title>T</title><link>https://site.example/news/</link>
      <item><link>/world/a</link><description>{S1}</description></item>
      <item><link>b.html</link><description>{S2}</description></item></channel></rss>"""
    assert [a.url for a in read(write(tmp_path, "rel.rss", rss))] == [
        "https://site.example/world/a",
        "https://site.example/news/b.html",
    ]
    atom = f"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/blog/"><title>A</title>
      <entry xml:base="2025/"><link href="story"/><summary>{S3}</summary></entry></feed>"""
    [entry] = read(write(tmp_path, "rel.atom", atom))
    assert entry.url == "https://atom.example/blog/2025/story"


def test_folders_pick_up_feed_files(tmp_path):
    write(tmp_path, "a.rss", RSS2)
    write(tmp_path, "b.atom", ATOM)
    articles = [i for i in read(tmp_path) if isinstance(i, Article)]
    assert len(articles) == 6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (RSS2[: RSS2.index("</item>") + 7], "is not a well-formed feed (no element found"),
        ("<rss><channel><title>x</title></rss>", "is not a well-formed feed (mismatched tag"),
        ("not xml at all", "is not a well-formed feed (syntax error"),
    ],
)
def test_broken_feed_is_one_error_naming_the_file(tmp_path, text, message):
    path = write(tmp_path, "broken.rss", text)
    [error] = read(path)
    assert isinstance(error, InputError)
    assert str(error).startswith(f"{path}: {message}")
    assert "download it again" in str(error)


@pytest.mark.parametrize("text", [BOMB, EXTERNAL])
def test_doctype_and_entities_are_refused_before_expansion(tmp_path, text):
    path = write(tmp_path, "hostile.rss", text)
    [error] = read(path)
    assert isinstance(error, InputError)
    assert str(error).startswith(f"{path}: declares entities in its DOCTYPE")
    assert "refuses DOCTYPE and ENTITY declarations" in str(error)


def test_a_doctype_naming_only_an_external_dtd_is_read_without_loading_it(tmp_path):
    netscape = f"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old &amp; Still Here</title>
<item><title>x</title><link>https://old.example/x</link><description>{S1}</description></item></channel></rss>"""
    [article] = read(write(tmp_path, "old.rss", netscape))
    assert article.outlet == "Old & Still Here" and article.text == S1
    # an external DTD is never loaded, so entities it would define stay undefined
    dtd = write(tmp_path, "secret.dtd", '<!ENTITY secret "LEAKED">')
    leaky = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd.as_uri()}"><rss><channel><title>&secret;</title>'
    )
    [error] = read(write(tmp_path, "leaky.rss", leaky + "</channel></rss>"))
    assert "undefined entity &secret;" in str(error) and "LEAKED" not in str(error)


def test_xml_that_is_not_a_feed_and_feeds_without_items(tmp_path):
    [error] = read(write(tmp_path, "sitemap.xml", '<urlset xmlns="x"><url><loc>a</loc></url></urlset>'))
    assert isinstance(error, UnsupportedFormatError)
    assert "not an RSS or Atom feed (its root element is <urlset>)" in str(error)
    [error] = read(write(tmp_path, "empty.rss", "<rss><channel><title>Quiet</title></channel></rss>"))
    assert isinstance(error, EmptyInputError) and "is a feed with no items" in str(error)
    [error] = read(write(tmp_path, "nochannel.rss", "<rss version='2.0'/>"))
    assert isinstance(error, EmptyInputError) and "without a <channel>" in str(error)


def test_oversized_feed_is_refused_unparsed(tmp_path, monkeypatch):
    monkeypatch.setattr("detente.ingest.feeds.MAX_FEED_BYTES", 1000)
    [error] = read(write(tmp_path, "big.rss", RSS2))
    assert isinstance(error, TooLargeError) and "limit for a feed" in str(error)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mon, 09 Jun 2025 08:30:00 GMT", dt.datetime(2025, 6, 9, 8, 30, tzinfo=dt.UTC)),
        (
            "9 Jun 2025 10:30:00 +0200",
            dt.datetime(2025, 6, 9, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        ),
        ("2025-06-09T08:30:00Z", dt.datetime(2025, 6, 9, 8, 30, tzinfo=dt.UTC)),
        ("2025-06-09", dt.date(2025, 6, 9)),
        ("yesterday", None),
        ("", None),
    ],
)
def test_feed_dates_rfc822_and_iso8601(value, expected):
    assert parse_feed_date(value) == expected


def test_html_bodies_long_ones_lose_boilerplate_snippets_keep_everything():
    assert strip_tags("<p>One&nbsp;&amp; two</p><ul><li>a</li><li>b</li></ul>") == "One & two\n\na\n\nb"
    assert html_to_text("Plain &amp; simple", "x") == "Plain & simple"
    paragraphs = "".join(f"<p>{s} Paragraph {i}.</p>" for i, s in enumerate([S1, S2, S3] * 3))
    body = f"<div class='share'><a href='#'>Share on Facebook</a></div>{paragraphs}<style>p{{}}</style>"
    text = html_to_text(body, "x")
    assert text.count("Paragraph") == 9 and "p{}" not in text
    assert text.startswith(S1)


@pytest.mark.model
def test_cli_codes_each_item_and_a_rerun_stores_nothing_twice(tmp_path):
    from detente.cli import cli

    runner = CliRunner()
    path = write(tmp_path, "wire.rss", RSS2)
    db = str(tmp_path / "d.db")
    result = runner.invoke(cli, ["code", str(path), "--db", db, "--jsonl", "-", "-q"], catch_exceptions=False)
    assert result.exit_code == 1  # the headline-only item
    assert result.stderr == (
        f"error: {path} item 3 (https://wire.example/headline): has no text (no content, description or summary)"
        " (the feed carries only headlines; code the linked page with 'detente code URL')\n"
    )
    bundles = [json.loads(line) for line in result.stdout.splitlines()]
    assert [b["article"]["url"] for b in bundles] == [
        "https://wire.example/energy",
        "https://wire.example/shelling",
        "https://wire.example/de",
    ]
    assert bundles[0]["article"]["outlet"] == "Wire & Post"
    [energy_event] = bundles[0]["events"]
    sides = {ref["country"] for ref in energy_event["source"] + energy_event["target"]}
    assert sides == {"RUS", "CHN"} and bundles[0]["article"]["published"] == "2025-06-09T08:30:00+00:00"
    assert bundles[1]["events"] and not bundles[2]["events"]  # the German item is stored, not coded
    stats = runner.invoke(cli, ["stats", "--db", db, "--format", "json"]).output
    assert json.loads(stats)["articles"] == 3 and json.loads(stats)["skipped"] == 1
    again = runner.invoke(cli, ["code", str(path), "--db", db], catch_exceptions=False)
    assert "3 already stored" in again.stderr
    # Nothing stored twice: the same counts and the same skipped inputs. The rerun skips the headline-only
    # item again, so its time is the rerun's (a second later when the run crosses a second: compare without it).
    before, after = (
        json.loads(stats),
        json.loads(runner.invoke(cli, ["stats", "--db", db, "--format", "json"]).output),
    )
    times = [[row.pop("at") for row in side["skipped_latest"]] for side in (before, after)]
    assert after == before
    assert all(later >= earlier for earlier, later in zip(*times, strict=True))
