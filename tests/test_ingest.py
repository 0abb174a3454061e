import json
import re

import pytest

from detente.errors import (
    BinaryInputError,
    DecodingWarning,
    EmptyInputError,
    InputError,
    RecordError,
    TooLargeError,
    UnsupportedFormatError,
)
from detente.ingest import IngestOptions, read_paths
from detente.ingest.text import decode, identify_language, normalize
from detente.records import Article

ENGLISH = "Russia and China signed an energy agreement in Beijing on Monday, officials said."
GERMAN = "Der russische Geheimdienst FSB betrachtet China als Feind mit territorialen Ansprüchen und warnt vor Spionage."


def read(*paths, **options):
    return list(read_paths(paths, IngestOptions(**options)))


def test_text_file_becomes_one_article_with_title_and_sidecar(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("Energy deal signed\n\n" + ENGLISH + "\r\n", encoding="utf-8")
    (tmp_path / "story.meta.json").write_text(json.dumps({"outlet": "Wire", "published": "2024-05-06"}))
    [article] = read(path)
    assert isinstance(article, Article)
    assert article.title == "Energy deal signed"
    assert article.outlet == "Wire"
    assert article.published.isoformat() == "2024-05-06"
    assert "\r" not in article.text and article.text.endswith("said.")
    assert article.language == "en" and article.skip_reason is None


def test_folder_is_walked_and_unsupported_files_are_skipped_quietly(tmp_path):
    (tmp_path / "a.txt").write_text(ENGLISH)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(ENGLISH + " Again.")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "README.md").write_text("# About these files")
    items = read(tmp_path)
    assert [type(i) for i in items] == [Article, Article]


def test_explicit_unsupported_file_names_the_file_and_the_formats(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4 ...")
    [error] = read(path)
    assert isinstance(error, UnsupportedFormatError)
    assert str(path) in str(error) and ".jsonl" in str(error)


def test_empty_binary_and_missing_files_are_reported_not_raised(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 20)
    items = read(tmp_path / "empty.txt", tmp_path / "blob.txt", tmp_path / "missing.txt")
    assert [type(i) for i in items] == [EmptyInputError, BinaryInputError, InputError]
    assert all(str(tmp_path) in str(i) for i in items)


def test_latin1_text_is_detected_and_decoded(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes(
        ("Le café de la Défense est fermé, a déclaré le ministre. " * 3 + ENGLISH).encode("latin-1")
    )
    with pytest.warns(DecodingWarning, match=r"latin\.txt: is not UTF-8; read as cp1252"):
        [article] = read(path)
    assert "café" in article.text


def test_jsonl_bad_line_is_reported_and_good_lines_are_read(tmp_path):
    path = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps(
            {"id": "1", "text": ENGLISH, "published": "2024-05-06", "outlet": "Wire", "section": "Asia"}
        ),
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"id": "4", "text": ""}),
        json.dumps({"id": "5", "text": ENGLISH + " More."}),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = read(path)
    assert [type(i).__name__ for i in items] == [
        "Article",
        "RecordError",
        "RecordError",
        "EmptyInputError",
        "Article",
    ]
    assert f"{path}:2" in str(items[1])
    assert items[0].meta["input_id"] == "1" and items[0].meta["section"] == "Asia"


def test_csv_columns(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_text('id,text,title,outlet,published\n1,"' + ENGLISH + '",Deal,Wire,2024-05-06\n')
    [article] = read(path)
    assert article.title == "Deal" and article.published.isoformat() == "2024-05-06"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    [error] = read(bad)
    assert isinstance(error, RecordError) and "'text' column" in str(error)
    # The message names the file's own columns, and the ones detente reads separately.
    assert "its columns: a,b)" in str(error) and "detente reads id,text," in str(error)


def test_non_english_article_is_kept_as_skipped_with_reason(tmp_path):
    path = tmp_path / "de.txt"
    path.write_text(GERMAN)
    [article] = read(path)
    assert article.language == "de"
    assert "machine-translate" in article.skip_reason


def test_too_large_text_is_refused_with_a_hint(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("Russia and China met. " * 1000)
    [error] = read(path, max_chars=5000)
    assert isinstance(error, TooLargeError) and "split it" in str(error)


def test_html_main_text_and_metadata(tmp_path):
    page = (
        "<html><head><title>Talks resume | Daily Planet</title>"
        '<meta property="og:site_name" content="Daily Planet">'
        '<meta property="article:published_time" content="2024-03-02T10:00:00Z"></head>'
        "<body><nav>Home | World | Sport</nav><article><h1>Talks resume</h1>"
        "<p>Russia and Ukraine resumed talks in Istanbul on Saturday, officials said. The delegations met for"
        " four hours and agreed to exchange prisoners, according to the Turkish foreign ministry.</p>"
        "<p>Turkey hosted the meeting and urged both sides to keep talking.</p></article>"
        "<footer>Copyright</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page)
    [article] = read(path)
    assert "resumed talks in Istanbul" in article.text
    assert "Copyright" not in article.text
    assert article.outlet == "Daily Planet"
    assert article.published is not None and article.published.year == 2024


def test_broken_html_without_text_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text("<html><body><div><script>var x = 1;</script>")
    [error] = read(path)
    assert isinstance(error, EmptyInputError) and "no article text" in str(error)


def test_normalize_and_decode_helpers():
    assert normalize("a\u00a0b\r\nc\x00d\n\n\n\ne ") == "a b\ncd\n\ne"
    assert decode("\ufeffhello".encode(), "x") == "hello"
    with pytest.raises(BinaryInputError):
        decode(b"\x00\x01\x02" * 100, "x")
    assert identify_language(ENGLISH).code == "en"
    assert identify_language(GERMAN).code == "de"


# ---------------------------------------------------------------- issue 14: one record never ends a run


def test_deeply_nested_jsonl_line_is_that_lines_error_and_the_rest_is_read(tmp_path):
    path = tmp_path / "nested.jsonl"
    lines = [
        json.dumps({"id": "1", "text": ENGLISH}),
        "[" * 100_000 + "]" * 100_000,  # RecursionError inside json.loads
        '{"id": "3", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
        json.dumps({"id": "4", "text": ENGLISH + " Again.", "extra": _nested(40)}),
        json.dumps({"id": "5", "text": ENGLISH + " More."}),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = read(path)
    assert [type(i).__name__ for i in items] == [
        "Article",
        "RecordError",
        "RecordError",
        "RecordError",
        "Article",
    ]
    assert str(items[1]).startswith(f"{path}:2: nests JSON too deeply to read")
    assert str(items[2]).startswith(f"{path}:3: nests JSON too deeply to read")
    assert str(items[3]).startswith(f"{path}:4: nests deeper than 32 levels")
    assert items[4].meta["input_id"] == "5"


def _nested(depth):
    value = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_feed_declaring_utf7_is_a_clear_error_for_that_file(tmp_path):
    feed = tmp_path / "utf7.xml"
    feed.write_text(
        '<?xml version="1.0" encoding="utf-7"?><rss><channel><title>Wire</title>'
        f"<item><title>Deal</title><description>{ENGLISH}</description></item></channel></rss>"
    )
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH)
    error, article = read(feed, good)
    assert isinstance(error, InputError)
    assert str(error).startswith(f"{feed}: declares 'utf-7', which the XML parser cannot read")
    assert "re-save the feed as UTF-8" in str(error)
    assert isinstance(article, Article)


def test_csv_with_old_mac_line_endings_is_read_row_by_row(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(f'id,text,title\r1,"{ENGLISH}",Deal\r2,"{ENGLISH} Again.",Talks\r'.encode())
    items = read(path)
    assert [(i.title, i.meta["source"]) for i in items] == [("Deal", f"{path}:2"), ("Talks", f"{path}:3")]


def test_csv_with_a_broken_row_reports_it_and_reads_the_next(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text(f'id,text\n1,"{ENGLISH}"\n2,"{"x" * 200_000}"\n3,"{ENGLISH} More."\n')
    items = read(path, max_chars=1000)
    assert [type(i).__name__ for i in items] == ["Article", "RecordError", "Article"]
    assert str(items[1]).startswith(f"{path}:3: is not valid CSV: field larger than field limit")
    assert items[2].meta["input_id"] == "3"


def test_csv_row_whose_quote_is_never_closed_is_reported_not_read_as_the_rest_of_the_file(tmp_path):
    """A field opened with a quote and never closed makes the csv reader read on through the next lines: here
    row 3 would vanish into row 2's text (the quote opening row 3's field closes row 2's), and at the end of a
    file every line after the quote would. Each such row is an error naming its line; the others are read."""
    path = tmp_path / "unclosed.csv"
    path.write_text(
        f'id,text\n1,"{ENGLISH}"\n2,"{ENGLISH} It never closes.\n3,"{ENGLISH} Three."\n4,{ENGLISH} Four.\n'
    )
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Article", "RecordError", "Article"]
    assert [items[0].meta["input_id"], items[2].meta["input_id"]] == ["1", "4"]
    assert str(items[1]).startswith(f"{path}:3: has a quoted field over several lines that is not closed")
    at_the_end = tmp_path / "unclosed-last.csv"
    at_the_end.write_text(f'id,text\n1,"{ENGLISH}"\n2,"{ENGLISH} Never closed.\n3,{ENGLISH}\n4,{ENGLISH}\n')
    items = read(at_the_end)
    assert [type(i).__name__ for i in items] == ["Article", "RecordError"]
    assert str(items[1]).startswith(f"{at_the_end}:3: has a quoted field over several lines")


def test_csv_quoted_fields_over_several_lines_with_doubled_quotes_are_read_whole(tmp_path):
    """What the check above must never flag: a closed quoted field over several lines, a doubled quote inside
    it, a quote inside an unquoted field, and CRLF line endings, in the file's last row."""
    path = tmp_path / "multiline.csv"
    last = f'"{ENGLISH}\r\nThe minister said ""no"" twice.\r\nEnd."'
    path.write_bytes(f'id,text\r\n1,{ENGLISH} A 5" gun.\r\n2,{last}\r\n'.encode())
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Article", "Article"]
    assert 'said "no" twice' in items[1].text and items[1].text.endswith("End.")


def test_lone_surrogates_in_any_field_are_replaced_before_the_database_write(tmp_path):
    from detente.records import Bundle
    from detente.store import open_store

    path = tmp_path / "surrogates.jsonl"
    record = {"id": "s\ud800", "title": "Deal \ud800 signed", "outlet": "Wire\udfff", "url": "https://e.org/\ud800",
              "published": "2024-05-06\ud800", "text": ENGLISH + " \ud800", "section\ud800": ["Asia\udc00"]}  # fmt: skip
    path.write_text(json.dumps(record) + "\n")  # json.dumps escapes them as \ud800: legal JSON
    [article] = read(path)
    assert isinstance(article, Article)
    assert (article.title, article.outlet, article.url) == (
        "Deal \ufffd signed",
        "Wire\ufffd",
        "https://e.org/\ufffd",
    )
    assert article.text.endswith("said. \ufffd")
    assert article.meta["section\ufffd"] == ["Asia\ufffd"] and article.meta["input_id"] == "s\ufffd"
    store = open_store(tmp_path / "d.db")
    try:
        store.write_bundles([Bundle(article=article)])
        assert store.get_bundle(article.id).article.title == "Deal \ufffd signed"
    finally:
        store.close()


def test_surrogate_pair_split_in_two_escapes_is_joined():
    from detente.ingest.text import scrub

    assert scrub("smile \ud83d\ude00 and \ud800 alone") == "smile \U0001f600 and \ufffd alone"


# ---------------------------------------------------------------- issue 14: honest decoding


def test_invalid_utf8_in_english_text_is_refused_not_read_as_mojibake(tmp_path):
    from detente.errors import EncodingError

    path = tmp_path / "moscow.txt"
    path.write_bytes(b"Russia and China met in Mosc\xff\xfew on Monday to sign a trade deal, officials said.")
    [error] = read(path)
    assert isinstance(error, EncodingError)
    assert str(error).startswith(
        f"{path}: is not UTF-8 (byte 0xFF at offset 28) and its encoding cannot be told"
    )
    assert "convert it to UTF-8" in str(error)


def test_damaged_utf8_is_refused_with_the_offset_of_the_first_bad_byte(tmp_path):
    from detente.errors import EncodingError

    path = tmp_path / "damaged.txt"
    path.write_bytes("Le ministre a déclaré que la réunion à Genève était utile. ".encode() * 3 + b"\xff")
    [error] = read(path)
    assert isinstance(error, EncodingError)
    assert f"{path}: is damaged UTF-8: 1 byte(s) are not UTF-8 (the first, byte 0xFF at offset 195)" in str(
        error
    )


def test_clearly_cp1252_file_is_read_with_a_warning_naming_file_and_encoding(tmp_path):
    from detente.errors import DecodingWarning

    path = tmp_path / "quotes.txt"
    text = "The minister said “we will not retreat” and left Geneva’s talks – “for now” – on Monday."
    path.write_bytes(text.encode("cp1252"))
    with pytest.warns(
        DecodingWarning, match=rf"^{re.escape(str(path))}: is not UTF-8; read as cp1252 \(confidence"
    ):
        [article] = read(path)
    assert article.text == text
    assert article.meta["encoding"]["name"] == "cp1252" and article.meta["encoding"]["confidence"] >= 0.9


def test_cyrillic_code_page_is_detected_not_read_as_accented_latin():
    from detente.errors import DecodingWarning
    from detente.ingest.text import decode_bytes

    text = "Москва заявила, что Россия подписала соглашение с Китаем в понедельник."
    with pytest.warns(DecodingWarning, match="read as cp1251"):
        decoded = decode_bytes(text.encode("cp1251"), "ru.txt")
    assert decoded.text == text


def test_reading_confidence_needs_enough_ordinary_characters():
    from detente.ingest.text import reading_confidence

    assert reading_confidence("plain ASCII") == 1.0
    assert reading_confidence("Mosc\u2019\u017ew") < 0.9  # two characters cannot tell a code page
    assert reading_confidence("Moscяюw met in Genève, «déjà» vu") < 0.9  # mixed scripts in one word
    assert reading_confidence("Ìîñêâà çàÿâèëà ñåãîäíÿ") < 0.5  # Cyrillic read as cp1252
    assert reading_confidence("Le café de la Défense est fermé, a déclaré le ministre") > 0.9


# ---------------------------------------------------------------- issue 14: bounded tokenizer cost


def test_runs_of_marks_and_giant_chunks_are_broken_up_keeping_offsets():
    from detente.ingest.text import MAX_CHUNK, MAX_MARK_RUN, neutralize

    text = "Before " + '"' * 10_000 + " Russia " + "😀" * 500 + " x" + "a" * 5000 + " after"
    out = neutralize(text)
    assert len(out) == len(text)
    assert out.index("Russia") == text.index("Russia") and out.endswith(" after")
    assert max(len(chunk) for chunk in out.split()) <= MAX_CHUNK
    assert '"' * (MAX_MARK_RUN + 1) not in out and '"' * MAX_MARK_RUN in out
    ordinary = "Officials said: “We will—not—retreat...” (Reuters) -- https://example.org/a/b?c=d"
    assert neutralize(ordinary) == ordinary


def test_ten_thousand_quote_marks_tokenize_into_few_tokens_with_valid_offsets():
    import spacy

    from detente.pipeline import make_doc, register_extensions

    register_extensions()
    text = ENGLISH + " " + '"' * 10_000 + " Beijing responded."
    article = Article(id="q", text=text)  # built by hand: the pipeline guards it too, not only ingest
    doc = make_doc(spacy.blank("en"), article)
    assert len(doc) < 200
    beijing = next(t for t in doc if t.text == "Beijing" and t.i > 10)
    assert text[beijing.idx : beijing.idx + 7] == "Beijing"
    [normalised] = [normalize(text)]
    assert '"' * 65 not in normalised and len(normalised) == len(text)


def test_a_text_of_control_characters_alone_is_empty_not_an_empty_article(tmp_path):
    # found by make fuzz: the emptiness check ran before normalisation removed the control characters
    path = tmp_path / "controls.csv"
    path.write_bytes(b'text\n\x1b,0000000000000\n"' + ENGLISH.encode() + b'"\n')
    error, article = read(path)
    assert isinstance(error, EmptyInputError) and str(error) == f"{path}:2: has no text to code"
    assert article.text == ENGLISH


def test_a_title_line_opening_the_text_is_a_sentence_of_its_own(tmp_path, nlp):
    """A .txt or HTML article opens with its headline on a line of its own and no full stop: without a
    boundary the parser read headline and first sentence as one sentence. The boundary is the title's
    only: a line break inside hard-wrapped text, or a text that does not open with its title, is left to
    the parser."""
    from detente.pipeline import make_doc

    path = tmp_path / "pact.txt"
    path.write_text(
        "Russia and China sign trade pact\n"
        "Russia and China signed a trade agreement on Monday in Moscow,\n"
        "officials said. The deal covers energy and grain.\n"
    )
    [article] = read(path)
    assert article.title == "Russia and China sign trade pact"
    sentences = [s.text.strip() for s in nlp(make_doc(nlp, article)).sents]
    assert sentences[0] == "Russia and China sign trade pact"
    assert sentences[1] == "Russia and China signed a trade agreement on Monday in Moscow,\nofficials said."
    untitled = Article(id="x", text=article.text, language="en")
    merged = [s.text for s in nlp(make_doc(nlp, untitled)).sents]
    assert merged[0].startswith("Russia and China sign trade pact\nRussia and China signed")


@pytest.mark.parametrize(
    "top, date",
    [
        ("KYIV, March 20, 2025 — " + ENGLISH, "2025-03-20"),
        ("WASHINGTON, Mar. 20, 2025 (AP) - " + ENGLISH, "2025-03-20"),
        ("LONDON, 20 March 2025 (Reuters) - " + ENGLISH, "2025-03-20"),
        ("SAN JOSE, Costa Rica, May 3, 2024 — " + ENGLISH, "2024-05-03"),
        ("By Jane Doe\nThursday, March 20, 2025\n\n" + ENGLISH, "2025-03-20"),
        ("Published: 2025-03-20 10:30\n\n" + ENGLISH, "2025-03-20"),
    ],
)
def test_a_text_without_a_date_takes_the_date_its_dateline_states(tmp_path, top, date):
    path = tmp_path / "story.txt"
    path.write_text("Energy deal signed\n\n" + top + "\n", encoding="utf-8")
    [article] = read(path)
    assert article.published.isoformat() == date
    assert article.meta["published_from"] == "dateline"


@pytest.mark.parametrize(
    "body",
    [
        "Russia said on March 20, 2025 that it had signed an energy agreement with China.",  # the story's date
        "In a statement, March 20, 2025 — " + ENGLISH,  # no place in capitals: a sentence, not a dateline
        "MOSCOW, February 30, 2025 — " + ENGLISH,  # no such day: undated rather than misdated
        (ENGLISH + "\n") * 8 + "March 20, 2025\n" + ENGLISH,  # far below the top
    ],
)
def test_a_date_in_the_story_is_not_its_publication_date(tmp_path, body):
    path = tmp_path / "story.txt"
    path.write_text("Energy deal signed\n\n" + body + "\n", encoding="utf-8")
    [article] = read(path)
    assert article.published is None and "published_from" not in article.meta


def test_a_stated_publication_date_wins_over_the_dateline(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text("KYIV, March 20, 2025 — " + ENGLISH + "\n", encoding="utf-8")
    (tmp_path / "story.meta.json").write_text(json.dumps({"published": "2025-03-21"}))
    [article] = read(path)
    assert article.published.isoformat() == "2025-03-21" and "published_from" not in article.meta
