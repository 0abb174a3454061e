"""The outlet's own people: language services, its reporters, and the credit lines that end a story.

News names its own staff in a few fixed ways, and a reader never takes them for actors of the story's
country: "VOA Somali" and "VOA's Urdu Service" are the outlet, not Somalia or Pakistan; "VOA Urdu's
Murtaza Zehri" and "Reuters' John Smith" are the outlet's reporters; "Ham Ji-ha contributed to this
report" and "Harun Maruf reported from Washington" close a story with its journalists. Left to the other
rules these become the story's country (a name with no country of its own takes the story's), or a
namesake in the dictionaries (a VOA stringer who shares a former prime minister's name).

- An outlet followed by a language or nationality word, and "Service" if it follows: one ref, the outlet.
- A person named right after an outlet's possessive: a journalist (JRN) of the outlet's country.
- The people who are the subject of "contributed (to this report / reporting / from ...)" or "reported
  from ...": journalists of the outlet the sentence names, else of the article's own outlet
  (``Article.outlet``), else of no country the text says (UNK, sector JRN).
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc

from detente.actors.knowledge_base import KnowledgeBase, fold, slug
from detente.actors.matching import doc_text, joined_words
from detente.records import ActorRef

# Reason suffix: the outlet's own (a service of it, a journalist of it), of no story's country.
OWN = "+outlet"
# "VOA Somali", "VOA's Urdu Service", "VOA Mandarin", "RFA's Uyghur service": capitalised words (a
# language or a nationality), then "Service" if it follows.
_SERVICE = re.compile(r"(?:['’]s)?\s+((?:[A-Z][a-z]+)(?:[ -][A-Z][a-z]+)?)(\s+[Ss]ervice\b)?")
_POSSESSIVE = re.compile(r"^(?:['’]s|['’])\s+$")
CREDIT_VERBS = frozenset({"contribute", "report"})
_CREDIT_WORD = re.compile(r"\b(?:[Cc]ontribut|[Rr]eport)\w*")
CREDIT_WORDS = frozenset({"report", "reporting", "story", "article", "from"})
# "stringers Abdiaziz Barrow and Khadar Hared contributed": the subject's conjuncts and the name's own words
CREDITED = frozenset({"conj", "appos", "compound"})
PERSON_LIKE_REASONS = ("unknown", "exact", "alias", "fuzzy")
NEW_NAME_CONFIDENCE = 0.6  # a name only the credit line's grammar found
OUTLET_CONFIDENCE = 0.95  # an outlet's own name or alias, as the knowledge base resolves one


def outlet_staff(doc: Doc, refs: list[ActorRef], kb: KnowledgeBase) -> list[ActorRef]:
    """The refs with outlet services merged into their outlet and the outlet's people coded as its
    journalists (text order kept)."""
    text = doc_text(doc)
    out = [_outlet_first(ref, kb) for ref in sorted(refs, key=lambda r: r.start)]
    out = _services(text, out)
    out = _possessed_reporters(text, out)
    return _credit_lines(doc, out, kb)


def _outlet_first(ref: ActorRef, kb: KnowledgeBase) -> ActorRef:
    """An unknown name that starts with an outlet's name ("VOA" of "VOA Mandarin", "VOA's Urdu Service",
    which the knowledge base does not list): the outlet, on its own words (the service is added next)."""
    if not ref.reason.startswith("unknown"):
        return ref
    first = re.match(r"[A-Z][\w.&-]*", ref.text)
    if first is None:
        return ref
    word = first.group()
    entry = kb.lookup(fold(word), word)  # an exact name or alias only: no fuzzy search for every unknown name
    if entry is None or entry.actor.kind != "outlet":
        return ref
    actor = kb.actor_of(entry)
    method = "exact" if kb.is_name(entry, fold(word)) else "alias"
    return ActorRef(word, ref.start, ref.start + first.end(), actor.actor_id, actor.name, actor.country,
                    actor.sector, actor.kind, OUTLET_CONFIDENCE, method)  # fmt: skip


def _services(text: str, refs: list[ActorRef]) -> list[ActorRef]:
    out: list[ActorRef] = []
    service_end = -1
    for ref in refs:
        if ref.start < service_end:
            # a word now inside its outlet's service: gone, or what follows the service's "'s" when the ref
            # ran on ("Urdu's Murtaza Zehri" read as one name after "VOA")
            rest = re.match(r"['’]s\s+", text[service_end : ref.end])
            if ref.end <= service_end or rest is None:
                continue
            start = service_end + rest.end()
            ref = replace(ref, text=text[start : ref.end], start=start)
        if ref.kind == "outlet":
            m = _SERVICE.match(text, ref.end)
            if m is not None and (m.group(2) or _language_word(m.group(1))):
                ref = replace(
                    ref, text=text[ref.start : m.end()], end=m.end(), reason=ref.reason.split("+")[0] + OWN
                )
                service_end = m.end()
        out.append(ref)
    return out


def _language_word(word: str) -> bool:
    """Is the word after "VOA" a language or nationality ("Somali", "Mandarin", "Urdu") rather than the
    start of something else ("VOA Director ...")? Languages end as demonyms do, or are named here."""
    first = word.split()[0]
    return first in LANGUAGES or bool(re.search(r"(?:an|ese|ish)$", first))


LANGUAGES = frozenset({"Urdu", "Mandarin", "Cantonese", "Pashto", "Dari", "Farsi", "Swahili", "Hausa", "Amharic",
                       "Tigrinya", "Khmer", "Lao", "Burmese", "Uyghur", "Tibetan", "Creole", "Kurdish", "Korean",
                       "Russian", "French", "Spanish", "Portuguese", "Turkish", "Persian", "Georgian", "Somali",
                       "Albanian", "Bangla", "Bengali", "Hindi", "Vietnamese", "Indonesian", "Thai", "Ukrainian", "Dutch",
                       "Arabic", "Azerbaijani", "Uzbek", "Kazakh", "Tajik", "Kyrgyz", "Tatar", "Serbian",
                       "Bosnian", "Macedonian", "Greek", "Armenian", "Kinyarwanda", "Kirundi", "Lingala", "Sango"})  # fmt: skip


def _possessed_reporters(text: str, refs: list[ActorRef]) -> list[ActorRef]:
    """ "VOA Urdu's Murtaza Zehri", "Reuters' John Smith": the outlet's journalist."""
    out = list(refs)
    for i, ref in enumerate(out[:-1]):
        nxt = out[i + 1]
        if ref.kind != "outlet" or ref.country == "UNK" or not _POSSESSIVE.match(text[ref.end : nxt.start]):
            continue
        # a person, or a name the knowledge base took for a body
        if (nxt.kind == "person" and nxt.reason.startswith(PERSON_LIKE_REASONS)) or (
            nxt.reason.startswith("unknown") and nxt.text[:1].isupper()
        ):
            out[i + 1] = _journalist(nxt, ref.country)
    return out


def _journalist(ref: ActorRef, country: str) -> ActorRef:
    actor_id = (
        ref.actor_id if ref.actor_id.startswith("person:") else f"person:{ref.actor_id.split(':', 1)[-1]}"
    )
    return replace(ref, actor_id=actor_id, country=country, sector="JRN", kind="person",
                   reason=ref.reason.split("+")[0] + OWN)  # fmt: skip


def _credit_lines(doc: Doc, refs: list[ActorRef], kb: KnowledgeBase) -> list[ActorRef]:
    """The subjects of "X contributed to this report", "X reported from Washington": journalists."""
    if not doc.has_annotation("DEP"):
        return refs
    text = doc_text(doc)
    # only the sentences with a credit verb's word in them: reading every token's lemma costs more
    at = [m.start() for m in _CREDIT_WORD.finditer(text)]
    if not at:
        return refs
    out = list(refs)
    starts = [r.start for r in out]
    home = _article_outlet(doc, kb)
    sentences = {
        doc[span.start].sent for a in at if (span := doc.char_span(a, a + 1, alignment_mode="expand"))
    }
    for sent in sorted(sentences, key=lambda s: s.start):
        verbs = [t for t in sent if t.lemma_ in CREDIT_VERBS and t.pos_ == "VERB"
                 and any(w.lower_ in CREDIT_WORDS for w in t.subtree)]  # fmt: skip
        if not verbs:
            continue
        lo, hi = sent.start_char, sent.end_char
        here = [i for i, s in enumerate(starts) if lo <= s < hi]
        named_outlet = next(
            (out[i] for i in here if out[i].kind == "outlet" and out[i].country != "UNK"), None
        )
        country = named_outlet.country if named_outlet is not None else home
        spans = {
            i: span
            for i in here
            if (span := doc.char_span(out[i].start, out[i].end, alignment_mode="expand"))
        }
        covered = {k for span in spans.values() for k in range(span.start, span.end)}
        for verb in verbs:
            if verb.lemma_ == "report" and not any(c.lower_ == "from" for c in verb.children):
                continue  # "reported that ...": someone reporting news, not a credit
            people = {w.i for c in verb.children if c.dep_ == "nsubj" for w in joined_words(c, CREDITED)}
            for i, span in spans.items():
                ref = out[i]
                if span.root.i not in people or ref.kind == "outlet":
                    continue
                if ref.text[:1].isupper() and (ref.kind == "person" or ref.reason.startswith("unknown")):
                    out[i] = _journalist(ref, country or "UNK")
            # a name no rule took for an actor ("Ham Ji-ha contributed to this report"): the journalist
            for k in sorted(people - covered):
                token = doc[k]
                if token.pos_ == "PROPN" and token.dep_ != "compound":
                    words = [
                        w for w in token.subtree if w.pos_ == "PROPN" and (w.i == k or w.dep_ == "compound")
                    ]
                    start, end = words[0].idx, words[-1].idx + len(words[-1])
                    name = text[start:end]
                    covered.update(w.i for w in words)
                    out.append(ActorRef(name, start, end, f"person:{slug(name)}", name, country or "UNK", "JRN",
                                        "person", NEW_NAME_CONFIDENCE, "unknown" + OWN))  # fmt: skip
    return sorted(out, key=lambda r: r.start)


def _article_outlet(doc: Doc, kb: KnowledgeBase) -> str | None:
    article = doc._.article if Doc.has_extension("article") else None
    name = getattr(article, "outlet", None)
    if not name:
        return None
    found = kb.resolve(name)  # once per article
    return found.actor.country if found.actor.kind == "outlet" and found.actor.country != "UNK" else None
