"""Build ``detente/events/data/cameo_verbs.tsv`` from the field's CAMEO verb dictionary.

Reads ``../shared/reference/petrarch2/CAMEO.2.0.txt`` (PETRARCH2, MIT, Open Event Data Alliance) and maps
its CAMEO codes to PLOVER with ``../shared/reference/CAMEO2PLOVER-2021.txt``. What it keeps is what the
event model can use as a prior for words its annotated news never showed it: for each verb, the PLOVER
type of its block's default code, and for each pattern the first word after the verb (a particle or
preposition in parentheses, else the object's first word) with the pattern's PLOVER type. Statement and
appeal codes (01x, 02x) have no PLOVER type in the table; they are kept as ``NONE``: the dictionary's
way of saying "a verb of speech, not an event".

    python scripts/build_cameo_verbs.py [--shared ../shared]

Same input, same file: rows are sorted and de-duplicated.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "detente" / "events" / "data" / "cameo_verbs.tsv"
HEADER = (
    "# Derived from the CAMEO verb dictionary of PETRARCH2 (openeventdata/petrarch2, CAMEO.2.0.txt,\n"
    "# MIT licence, copyright (c) 2015 Open Event Data Alliance; notice in cameo_verbs.NOTICE.md), mapped\n"
    "# to PLOVER with CAMEO2PLOVER-2021.txt (Philip Schrodt). Built by scripts/build_cameo_verbs.py.\n"
    "# verb\tkind\tword\ttype   (kind: default | prep | object; type NONE = a statement or appeal code)\n"
)
BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
PATTERN = re.compile(r"^-\s+(.*?)\s*\[([^\]]*)\]")


def plover_table(path: Path) -> dict[str, str]:
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        code, rest = line.split(":", 1)
        event_type = rest.split(",", 1)[0].strip()
        if code.strip().isdigit() and event_type:
            table[code.strip()] = event_type
    return table


def plover_of(code: str, table: dict[str, str]) -> str | None:
    """The PLOVER type of a CAMEO code ("0311", "042:043" takes the first); None when it has no code."""
    code = code.split(":", 1)[0].strip() or code.split(":")[-1].strip()
    if not code.isdigit():
        return None
    for length in range(len(code), 1, -1):
        if code[:length] in table:
            return table[code[:length]]
    return "NONE" if code[:2] in {"01", "02"} else None


def _verb_line(line: str) -> tuple[str, str | None] | None:
    """A verb line's base form and its own code, if any: "ACCUSE [112]" -> ("accuse", "112");
    "HURRY {HURRIES HURRYING HURRIED }" -> ("hurry", None). Phrases ("+ARREST_AND") are skipped."""
    head = line.split("#", 1)[0]
    code = re.search(r"\[([^\]]*)\]", head)
    head = re.sub(r"\[[^\]]*\]", " ", head).split("{", 1)[0].strip()
    if not head or head.startswith(("+", "&", "-")) or not head.replace("_", "").isalpha():
        return None
    return head.lower().replace("_", " "), code.group(1) if code else None


def _key(pattern: str) -> tuple[str, str] | None:
    """The first word after the verb's place (``*``): ("prep", "to") for "(TO ...)", ("object", "aid")."""
    if "*" not in pattern:
        return None
    after = pattern.split("*", 1)[1].strip()
    after = after.replace("$", " ").replace("+", " ").strip()
    if not after:
        return None
    kind = "prep" if after.startswith("(") else "object"
    word = after.lstrip("({ ").split()[0].strip("(){}") if after.lstrip("({ ") else ""
    if not word or word.startswith("&") or not word.replace("_", "").isalpha():
        return None
    return kind, word.lower().rstrip("_")


def build(shared: Path) -> list[tuple[str, str, str, str]]:
    table = plover_table(shared / "reference" / "CAMEO2PLOVER-2021.txt")
    text = (shared / "reference" / "petrarch2" / "CAMEO.2.0.txt").read_text(
        encoding="utf-8", errors="replace"
    )
    body = text.split("####### VERB PATTERNS #######", 1)[1]
    rows: set[tuple[str, str, str, str]] = set()
    verbs: list[tuple[str, str | None]] = []  # (verb, its default type)
    default: str | None = None
    patterns: list[tuple[str, str, str]] = []

    def flush() -> None:
        for verb, own_default in verbs:
            if own_default:
                rows.add((verb, "default", "", own_default))
            for kind, word, event_type in patterns:
                rows.add((verb, kind, word, event_type))

    for raw in body.splitlines():
        line = raw.rstrip()
        if not line.strip():
            continue
        block = BLOCK.match(line)
        if block:
            flush()
            verbs, patterns = [], []
            default = plover_of(block.group(2), table)
            continue
        if line.startswith("-"):
            match = PATTERN.match(line)
            if match:
                key, event_type = _key(match.group(1)), plover_of(match.group(2), table)
                if key and event_type:
                    patterns.append((*key, event_type))
            continue
        verb = _verb_line(line)
        if verb is not None:
            own = plover_of(verb[1], table) if verb[1] else default
            verbs.append((verb[0], own))
    flush()
    return sorted(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    rows = build(args.shared)
    OUT.write_text(HEADER + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
