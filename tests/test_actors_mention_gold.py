"""Actor mention gold (issue 11): every actor mention of some stories, annotated apart from the events
(docs/annotation.md, "Actor mentions"): reading it, locating each mention, agreement between annotators,
and which mentions no event's gold covered before."""

from __future__ import annotations

import json

import pytest

from detente.actors.evaluation import (
    GoldMention,
    _nth_word_offset,
    mention_agreement,
    mention_gold,
    mention_kind,
    scored_before,
)
from detente.errors import RecordError
from detente.events.corpus import load_corpus


@pytest.fixture(scope="module")
def a_sentence():
    """A sentence of the annotated corpus with a capitalised word of four letters or more in it."""
    for story in load_corpus():
        for sentence in story.sentences:
            words = [w for w in sentence.text.split() if w[:1].isupper() and w.isalpha() and len(w) > 3]
            if story.id.startswith("voa-") and words:
                return story, sentence, words[0]
    pytest.skip("no annotated corpus")


def write(path, *lines):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_mention_is_located_in_its_story(tmp_path, a_sentence):
    story, sentence, word = a_sentence
    gold = write(tmp_path / "actors-x.jsonl", {"story": story.id, "sentence": sentence.id, "text": word,
                                                "country": "KEN", "sector": "GOV"})  # fmt: skip
    [mention] = mention_gold([gold])
    assert mention.story == story.id and mention.country == "KEN" and mention.sector == "GOV"
    assert story.text[mention.start : mention.start + len(word)] == word


def test_the_nth_occurrence_is_the_one_counted():
    sentence = "Kenya said Kenya would act, and the Kenyan army agreed."
    assert _nth_word_offset(sentence, "Kenya", 1) == 0
    assert _nth_word_offset(sentence, "Kenya", 2) == sentence.index("Kenya would")  # never inside "Kenyan"
    assert _nth_word_offset(sentence, "Kenya", 3) == -1


def test_words_not_in_the_sentence_are_an_error_naming_the_file_and_line(tmp_path, a_sentence):
    story, sentence, _ = a_sentence
    gold = write(tmp_path / "actors-x.jsonl", {"story": story.id, "sentence": sentence.id, "text": "Zzyzx Qqq",
                                                "country": "UNK", "sector": None})  # fmt: skip
    with pytest.raises(RecordError) as error:
        mention_gold([gold])
    assert "actors-x.jsonl" in str(error.value) and "line 1" in str(error.value)


@pytest.fixture
def a_line(a_sentence):
    """One mention line of a_sentence's story: its capitalised word, KEN GOV."""
    story, sentence, word = a_sentence
    return {"story": story.id, "sentence": sentence.id, "text": word, "country": "KEN", "sector": "GOV"}


def test_an_overlap_copy_counts_only_for_agreement(tmp_path, a_line):
    line = a_line
    gold = write(tmp_path / "actors-x.jsonl", line, {**line, "overlap": True})
    assert len(mention_gold([gold])) == 1
    assert len(mention_gold([gold], with_overlap=True)) == 2


def mention(start: int, text: str, country: str, sector: str | None = "GOV") -> GoldMention:
    return GoldMention("s-1", "", text, country, sector, "mention", None, "s", start)


def test_agreement_matches_overlapping_mentions_and_compares_their_codes():
    first = [mention(0, "Kenya", "KEN"), mention(20, "the army", "KEN", "MIL"), mention(40, "he", "SOM")]
    second = [mention(0, "Kenya", "KEN"), mention(24, "army", "KEN", "MIL"), mention(60, "they", "UNK")]
    scores = mention_agreement(first, second)
    assert scores["shared"] == 2 and scores["mention_f1"] == round(2 / 3, 3)
    assert scores["country_agreement"] == 1.0 and scores["sector_agreement"] == 1.0


def test_a_mention_an_event_gold_covered_was_scored_before():
    seen = [mention(20, "the army", "KEN", "MIL")]
    assert scored_before(mention(24, "army", "KEN"), seen)
    assert not scored_before(mention(40, "he", "SOM"), seen)


def test_the_shipped_mention_gold_loads_and_holds_no_reserved_story():
    from detente.events.corpus import RESERVED_VOA_IDS

    mentions = mention_gold()
    if not mentions:
        pytest.skip("no mention gold in this checkout")
    assert len(mentions) >= 400 and len({m.story for m in mentions}) >= 20
    assert not {m.story.removeprefix("voa-") for m in mentions} & set(RESERVED_VOA_IDS)
    assert all(m.country for m in mentions)


def test_a_line_that_is_no_json_is_an_error_naming_the_file_and_line(tmp_path, a_sentence):
    story, sentence, word = a_sentence
    gold = tmp_path / "actors-x.jsonl"
    line = json.dumps({"story": story.id, "sentence": sentence.id, "text": word, "country": "KEN"})
    gold.write_text(line + "\n\n{not json\n", encoding="utf-8")
    with pytest.raises(RecordError) as error:
        mention_gold([gold])
    assert "actors-x.jsonl" in str(error.value) and "line 3" in str(error.value)


def test_the_entity_label_is_read_and_optional(tmp_path, a_line):
    line = a_line
    gold = write(tmp_path / "actors-x.jsonl", {**line, "entity": "kenya-gov"}, {**line, "occurrence": 1})
    assert [m.entity for m in mention_gold([gold])] == ["kenya-gov", ""]


def test_the_shipped_mention_gold_covers_both_halves_and_no_reserved_story():
    from detente.events.corpus import RESERVED_VOA_IDS

    gold = mention_gold()
    if not gold:
        pytest.skip("no mention gold in this checkout")
    halves = {m.split for m in gold}
    assert halves == {"tuning", "held-out"}
    assert not {m.story.removeprefix("voa-") for m in gold} & set(RESERVED_VOA_IDS)
    # the tuning half (eighteenth session on) labels coreference chains
    assert all(m.entity for m in gold if m.split == "tuning")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("they", "pronouns"), ("Their", "pronouns"), ("herself", "pronouns"),
        ("The White House", "names"), ("Prime Minister Yoshihide Suga", "names"), ("U.S.", "names"),
        ("Istanbul's Kadir Has University", "names"), ("Xu Quan, a media commentator", "names"),
        ("al-Shabab", "names"), ("AT&T", "names"),
        ("Chinese immigrants", "descriptions"), ("Taiwan's new president", "descriptions"),
        ("The head of MSF", "descriptions"), ("Top diplomats from the Group of Seven", "descriptions"),
        ("a spokesperson for UNHCR Kenya", "descriptions"), ("More than 2,000 firefighters", "descriptions"),
        ("anti-Balaka militias", "descriptions"),
    ],
)  # fmt: skip
def test_a_mention_kind_is_read_off_the_head_phrase(text, kind):
    assert mention_kind(text) == kind
