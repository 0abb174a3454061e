"""Attribution cues: the small closed word lists the claims stage matches against the parse, and quote finding.

Every list is a frozenset of lemmas (or lower-cased words), so a stage checks a token with one hash
lookup. The lists follow PARC 3.0's attribution cues, trimmed to what news reporting actually uses.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Verbs that report speech or a written statement and take the content as a clause ("X said that ...").
SPEECH_LEMMAS: frozenset[str] = _words(
    """say tell state add announce declare claim allege assert insist warn note write report explain argue
    stress emphasize emphasise confirm deny acknowledge admit reveal suggest predict believe think fear
    recall reiterate maintain contend testify complain caution concede accuse urge promise pledge vow
    threaten estimate conclude tweet post describe answer reply respond"""
)  # fmt: skip
# Cues that take the content as a direct object rather than a clause ("describes relations as ...").
DESCRIBE_LEMMAS: frozenset[str] = _words("describe characterize characterise call label dub praise")
# Of those, the ones that only make a claim when the characterisation is quoted ("called it 'a disaster'").
QUOTE_ONLY_LEMMAS: frozenset[str] = _words("call label dub praise")
# What a document "does" when it is the source ("the report says", "the document shows").
DOCUMENT_VERBS: frozenset[str] = _words(
    """say state show indicate reveal suggest describe conclude find note warn detail outline assess
    summarize summarise list claim allege document contain mention confirm recommend"""
)  # fmt: skip
DOCUMENT_NOUNS: frozenset[str] = _words(
    """document report memo memorandum cable file dossier assessment letter study analysis
    transcript presentation leak leaks notes email emails directive review survey filing indictment"""
)  # fmt: skip
# A document so described came out against its author's will.
LEAK_WORDS: frozenset[str] = _words(
    "leaked leak secret classified internal confidential hacked stolen unpublished restricted"
)
# "referring to the leaked document", "citing officials": a source named inside a claim.
RELAY_LEMMAS: frozenset[str] = _words("refer cite quote base")
# Nominals that stand for a news outlet ("the daily said"); resolved to the last outlet mentioned.
MEDIA_NOUNS: frozenset[str] = _words(
    "newspaper daily paper outlet publication broadcaster magazine weekly tabloid agency channel network"
)
# Outlets named often enough in news text to be recognised without the actor knowledge base.
KNOWN_OUTLETS: frozenset[str] = frozenset(
    """the new york times|new york times|nyt|reuters|the associated press|associated press|ap|afp|
    agence france-presse|bbc|cnn|the washington post|washington post|the wall street journal|
    wall street journal|wsj|bloomberg|the financial times|financial times|ft|the guardian|guardian|tass|
    ria novosti|xinhua|interfax|al jazeera|voa|voice of america|kommersant|der spiegel|spiegel|le monde|
    politico|axios|the economist|fox news|nbc news|cbs news|abc news|npr|dpa|kyodo|yonhap|
    the times|the telegraph|izvestia|vedomosti|meduza|global times|people's daily""".replace("\n", "").split("|")
)  # fmt: skip
# Head nouns of unnamed speakers ("officials said", "a person familiar with the matter").
ANONYMOUS_NOUNS: frozenset[str] = _words(
    """official source person people diplomat insider aide officer analyst expert observer witness
    resident sources officials member members"""
)  # fmt: skip
HEDGE_CUES: frozenset[str] = _words("claim allege suggest speculate believe think suspect estimate fear")
HEDGE_ADVERBS: frozenset[str] = _words(
    "allegedly reportedly purportedly supposedly apparently ostensibly seemingly"
)
DENY_CUES: frozenset[str] = _words("deny reject dismiss refute rebut disavow dispute")
# Verification language: tokens whose clause talks about whether a claim or document was checked.
VERIFICATION_LEMMAS: frozenset[str] = _words(
    """verify verification verifiable unverified unverifiable authenticate authentic authenticity genuine
    genuineness corroborate corroboration uncorroborated unconfirmed inauthentic forgery forged"""
)  # fmt: skip
# "confirm" is a speech verb ("the ministry confirmed that ..."); it is verification language only when
# "independently" or "could not"/"unable to" says so ("could not be independently confirmed").
CONFIRM_LEMMAS: frozenset[str] = _words("confirm")
# Verification words that cast doubt by themselves ("unverified claims", "experts called it a forgery").
DOUBTING_VERIFICATION: frozenset[str] = _words(
    "unverified unverifiable uncorroborated unconfirmed inauthentic forgery forged"
)
# Words around verification language that turn it into doubt: "this prevents definitive verification",
# "was unable to verify", "it is unclear whether the letter is genuine", "questioned its authenticity".
DOUBT_WORDS: frozenset[str] = _words(
    """prevent preclude hinder impede hamper obstruct complicate frustrate thwart block unable impossible
    difficult hard fail lack absence without unclear uncertain unknown doubt doubtful question dispute
    challenge deny reject dismiss refute cannot never no not n't neither nor"""
)  # fmt: skip
# Words that leave it open: "reporters sought to verify the video", "the letter may be genuine".
OPEN_WORDS: frozenset[str] = _words(
    "seek try attempt work ask aim plan want hope need request whether may might could possible possibly"
)
# Heads of the "who checked it" phrase ("six Western news services").
CHECKER_NOUNS: frozenset[str] = _words(
    "service outlet organization organisation agency newspaper publication expert analyst"
)
# Obtaining or releasing a document: the agent is who obtained it ("obtained by the Ares Leaks group").
OBTAIN_LEMMAS: frozenset[str] = _words("obtain acquire leak steal hack publish release receive")
PUBLIC_VENUE_WORDS: frozenset[str] = _words(
    """public publicly statement conference briefing interview speech address post platform media
    television tv broadcast reporters press parliament"""
)  # fmt: skip
# Objects that make "said it" point back at the previous sentences.
ANAPHORIC_OBJECTS: frozenset[str] = _words("it this that so")
PRONOUNS: frozenset[str] = _words("he she it they we i you him her them one")
# Channels whose account runs on past its cue's sentence ("According to the report, ... The FSB ordered
# ... It also ordered ..."): documents and the outlets relaying them. A speaker's account does not: the
# sentence after "X said ..." is as often the reporter's own.
CONTINUED_CHANNELS: frozenset[str] = frozenset(("leaked_document", "official_document", "media_report"))
# Openings that turn away from the account ("On the other hand, the fact that Putin ...").
TURN_OPENINGS: tuple[tuple[str, ...], ...] = tuple(
    tuple(t.split())
    for t in """however|but|yet|still|meanwhile|nevertheless|nonetheless|on the other hand|in contrast|by contrast|
    at the same time|finally|separately""".replace("\n", "").split("|")
)  # fmt: skip

# Opening mark -> the marks that may close it. Wire copy mixes straight and curly marks ("...," she said
# with a curly close), so a straight quote and a curly one close each other.
QUOTE_PAIRS: dict[str, str] = {
    '"': '"\u201d', "\u201c": '\u201d"', "\u201e": "\u201c\u201d", "\u00ab": "\u00bb", "\u00bb": "\u00ab",
    "\u2039": "\u203a", "\u300c": "\u300d",
}  # fmt: skip
# An unclosed quote stops at the paragraph end, the next quote mark or this many characters.
MAX_UNCLOSED = 1000
_QUOTE_CHARS = re.compile('["\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a\u300c\u300d]')


@dataclass(frozen=True, slots=True)
class Quote:
    """The text between a pair of quote marks (offsets exclude the marks); ``closed`` is False when the
    closing mark was missing and the quote was cut at the end of its paragraph."""

    start: int
    end: int
    closed: bool = True


def find_quotes(text: str) -> list[Quote]:
    """Quoted stretches in ``text``: straight, curly, guillemets; an unbalanced mark never raises.

    An unclosed quote runs to the end of its paragraph (news style for multi-paragraph quotes), but no
    further than the next quote mark or ``MAX_UNCLOSED`` characters. Quotes never cross a line break.
    """
    quotes: list[Quote] = []
    marks = [(m.start(), m.group()) for m in _QUOTE_CHARS.finditer(text)]
    # Where each paragraph ends, and for each mark the next mark of each kind: looked up, not scanned for
    # from every opening mark (that was quadratic: 10,000 unclosed marks in one paragraph took 13 s).
    newlines = [m.start() for m in re.finditer("\n", text)]
    following_kind: dict[str, list[int]] = {}
    for kind in {m for _, m in marks}:
        nxt, positions = len(marks), [0] * (len(marks) + 1)
        positions[len(marks)] = nxt
        for k in range(len(marks) - 1, -1, -1):
            positions[k] = nxt = k if marks[k][1] == kind else nxt
        following_kind[kind] = positions
    i = 0
    while i < len(marks):
        pos, mark = marks[i]
        closers = QUOTE_PAIRS.get(mark)
        if closers is None:  # a stray closing mark
            i += 1
            continue
        line = bisect.bisect_left(newlines, pos)
        para_end = newlines[line] if line < len(newlines) else len(text)
        j = min((following_kind[c][i + 1] for c in closers if c in following_kind), default=len(marks))
        if j < len(marks) and marks[j][0] < para_end:
            start, end = pos + 1, marks[j][0]
            closed = True
            i = j + 1
        else:
            following = marks[i + 1][0] if i + 1 < len(marks) else len(text)
            start, end = pos + 1, min(para_end, following, pos + 1 + MAX_UNCLOSED)
            closed = False
            i += 1
        start, end = _strip(text, start, end)
        if end > start:
            quotes.append(Quote(start, end, closed))
    return quotes


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    # Trailing punctuation inside the marks belongs to the sentence around the quote, not to the claim.
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    if end - start > 1 and text[end - 1] == "." and text[end - 2] != ".":
        end -= 1
    return start, end
