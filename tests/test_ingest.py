import json

import pytest

from detente.errors import (
    BinaryInputError,
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
