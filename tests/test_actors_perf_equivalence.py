"""The actors stage's shortcuts give exactly what the plain spaCy and rapidfuzz reads they replace give,
and the per-doc token table never reaches another doc or outlives the stage. Speed lives in benchmarks/.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from detente.actors.knowledge_base import skeleton
from detente.doc_table import TABLE_KEY, DocTable, reading, table_of

TEXT = (
    "Ukrainian President Volodymyr Zelenskyy met  U.S. officials in Kyiv on Monday.\n\n"
    '"We will not give up," he said. Then...   Russia\'s FSB said the talks failed! '
    "The Immigration and Customs Enforcement (ICE) deported 40 Uyghurs; ICE said they were Chinese."
)


def test_token_table_reads_are_the_tokens_reads(parser):
    doc = parser(TEXT)
    table = DocTable(doc)
    assert table.text == [t.text for t in doc]
    assert table.lower == [t.lower_ for t in doc]
    assert table.pos == [t.pos_ for t in doc]
    assert table.tag == [t.tag_ for t in doc]
    assert table.idx == [t.idx for t in doc]
    assert table.is_alpha == [t.is_alpha for t in doc]
    assert table.is_sent_start == [t.is_sent_start for t in doc]
    assert table.entities == [(e.start, e.end, e.label_) for e in doc.ents]
    assert any(table.pos) and sum(1 for s in table.is_sent_start if s) >= 3 and table.entities


def test_table_is_shared_inside_reading_and_gone_after(parser):
    doc, other = parser(TEXT), parser("The army of Mali said on Monday that rebels attacked.")
    with reading(doc) as table:
        assert table_of(doc) is table  # shared while the block runs
        assert table_of(other) is not table  # never another doc's
        assert table_of(other).text == [t.text for t in other]
        with reading(doc) as inner:
            assert inner is table  # an inner block reuses the outer one's table
        assert doc.user_data[TABLE_KEY] is table  # ... and leaves it in place
    assert TABLE_KEY not in doc.user_data
    assert table_of(doc) is not table


def test_a_table_of_a_doc_copied_with_its_user_data_is_not_read(parser):
    doc = parser(TEXT)
    copy = parser("Iran's foreign minister met Chinese diplomats.")
    with reading(doc) as table:
        copy.user_data[TABLE_KEY] = table  # as if user data were carried over from another doc
        assert table_of(copy) is not table
        assert table_of(copy).text == [t.text for t in copy]


def test_the_actors_stage_leaves_no_table(actors_coder):
    doc = actors_coder(TEXT)
    assert doc._.actors  # it coded something
    assert TABLE_KEY not in doc.user_data
    assert not any(isinstance(value, DocTable) for value in doc.user_data.values())


def test_fuzzy_choices_give_the_whole_lists_match(kb):
    """Scoring only the skeleton keys of a reachable length finds what scoring every key finds: the same
    key and score (the first best in the list's order), for names near known ones and far from all."""
    texts = [
        "Si Jin-Pching", "Vladimir Putinem", "Volodimir Zelenski", "Emanuel Macron", "Recep Tayip Erdogan",
        "Hezbolah", "Al-Shabaab", "Mahad Wasuge", "Quetta", "Jaffar Express", "Nop Vy", "Chaudhry",
        "Olaf Scholtz", "Benjamin Netanyahoo", "Kim Jong Un", "Xi Jinpng", "Narendra Modhi", "Zzzzzzzzzz",
    ]  # fmt: skip
    texts += [e.actor.name for e in kb.entries[:: max(1, len(kb.entries) // 300)]]
    compared = matched = 0
    for cutoff in (88.0, 80.0):
        for text in texts:
            sk = skeleton(text)
            if len(sk) < 5:
                continue
            whole = process.extractOne(sk, kb._skeleton_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
            part = process.extractOne(
                sk, kb._fuzzy_choices(len(sk), cutoff), scorer=fuzz.ratio, score_cutoff=cutoff
            )
            assert (whole and whole[:2]) == (part and part[:2]), text
            compared += 1
            matched += whole is not None
    assert compared > 100 and 0 < matched < compared
