"""Named, recorded schema migrations, in portable SQL (SQLite and PostgreSQL run the same text).

A migration is applied once and recorded in ``migrations``; add new ones at the end, never edit
an applied one. Timestamps and dates are ISO text so both databases sort them the same way. A statement
that only one database understands (a text index) is a ``(dialect, sql)`` pair, run on that dialect only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

from detente.records import ActorRef, Bundle, Place

Statement = str | tuple[str, str]


def statements_for(statements: Sequence[Statement], dialect: str) -> Iterator[str]:
    """The statements of one migration that ``dialect`` ("sqlite" or "postgresql") runs."""
    for statement in statements:
        if isinstance(statement, str):
            yield statement
        elif statement[0] == dialect:
            yield statement[1]


# The migration after which ``detente.store.event_counts`` fills its tables from the stored events (Python
# computes the counting keys, so SQL alone cannot).
COUNTS_MIGRATION = "0010_event_counts"
# After these the counted events are counted again (background, then news ones into their components).
COMPONENTS_MIGRATION = "0011_background_components"
NEWS_COMPONENTS_MIGRATION = "0013_news_components"
# After this one the divergence evidence of every stored article is computed (Python, from its bundle).
DIVERGENCE_MIGRATION = "0016_divergence_items"
# After this one the stored articles that code Kosovo KOS are written again with XKX (:func:`kosovo_xkx`).
KOSOVO_MIGRATION = "0018_kosovo_xkx"

MIGRATIONS: tuple[tuple[str, tuple[Statement, ...]], ...] = (
    (
        "0001_initial",
        (
            """CREATE TABLE articles (
                id TEXT PRIMARY KEY,
                title TEXT, url TEXT, outlet TEXT,
                published TEXT, pub_date TEXT,
                language TEXT, story_id TEXT, skip_reason TEXT,
                text TEXT NOT NULL, meta TEXT NOT NULL, coded_at TEXT NOT NULL
            )""",
            "CREATE INDEX articles_pub_date ON articles (pub_date)",
            "CREATE INDEX articles_story ON articles (story_id)",
            """CREATE TABLE actor_refs (
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                idx INTEGER NOT NULL,
                text TEXT NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
                actor_id TEXT NOT NULL, name TEXT NOT NULL, country TEXT NOT NULL,
                sector TEXT, kind TEXT NOT NULL, confidence REAL NOT NULL,
                PRIMARY KEY (article_id, idx)
            )""",
            "CREATE INDEX actor_refs_actor ON actor_refs (actor_id)",
            "CREATE INDEX actor_refs_country ON actor_refs (country)",
            """CREATE TABLE claims (
                id TEXT PRIMARY KEY,
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                kind TEXT NOT NULL, channel TEXT NOT NULL, stance TEXT NOT NULL, parent_id TEXT,
                speakers TEXT NOT NULL,
                data TEXT NOT NULL
            )""",
            "CREATE INDEX claims_article ON claims (article_id)",
            """CREATE TABLE events (
                id TEXT PRIMARY KEY,
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                event_type TEXT NOT NULL, mode TEXT, quad TEXT NOT NULL, intensity REAL NOT NULL,
                modality TEXT NOT NULL, date_start TEXT, date_end TEXT, claim_id TEXT,
                confidence REAL NOT NULL,
                data TEXT NOT NULL
            )""",
            "CREATE INDEX events_article ON events (article_id)",
            "CREATE INDEX events_type ON events (event_type)",
            "CREATE INDEX events_date ON events (date_start)",
            """CREATE TABLE event_actors (
                event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
                role TEXT NOT NULL,
                actor_id TEXT NOT NULL, country TEXT NOT NULL, sector TEXT,
                PRIMARY KEY (event_id, role, actor_id)
            )""",
            "CREATE INDEX event_actors_actor ON event_actors (actor_id, role)",
            "CREATE INDEX event_actors_country ON event_actors (country, role)",
        ),
    ),
    (
        "0002_article_mentions",
        # JSON {"dates": [...], "places": [...]}: every date and place found in the article.
        ("ALTER TABLE articles ADD COLUMN mentions TEXT",),
    ),
    (
        "0003_event_corroboration",
        # Independent outlets reporting each event, written after story clustering.
        ("ALTER TABLE events ADD COLUMN corroboration INTEGER",),
    ),
    (
        "0004_event_flags",
        # Reciprocal (all participants in source, no recipient) and background (an earlier event told as
        # context) as columns, so dyad filters reach reciprocal events; rows written before are read from
        # their JSON (json.dumps writes ``"reciprocal": true``; ``%%`` is one wildcard in SQLite's LIKE and a
        # literal ``%`` for psycopg, which reads ``%`` as a placeholder).
        (
            "ALTER TABLE events ADD COLUMN reciprocal INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE events ADD COLUMN background INTEGER NOT NULL DEFAULT 0",
            """UPDATE events SET reciprocal = 1 WHERE data LIKE '%%"reciprocal": true%%'""",
            """UPDATE events SET background = 1 WHERE data LIKE '%%"background": true%%'""",
        ),
    ),
    (
        "0005_article_failures",
        # Articles that could not be coded (over the per-article budget, an error, a lost worker): the
        # article row holds the text, uncoded, so ``detente code --retry-failed`` needs no input files.
        (
            """CREATE TABLE failures (
                article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
                kind TEXT NOT NULL, stage TEXT, elapsed REAL NOT NULL, message TEXT NOT NULL,
                source TEXT, failed_at TEXT NOT NULL
            )""",
        ),
    ),
    (
        "0006_actor_ref_reason",
        # How each actor mention was resolved (exact, alias, fuzzy, agent noun, coreference, ...; bundle
        # version 3). Rows written before have none.
        ("ALTER TABLE actor_refs ADD COLUMN reason TEXT NOT NULL DEFAULT ''",),
    ),
    (
        "0007_story_index",
        # The persisted near-duplicate and story index (issue 15; detente.analytics.stories): a new article
        # is compared with its candidates only. ``story_articles`` holds every clustered article (coded
        # articles missing from it are pending), its MinHash signature (base64), its near-duplicate
        # group's original and its story; ``story_bands`` one LSH band key per band; ``story_mentions``
        # each event with both sides known, by its key (type|source|target) and day; ``stories`` each
        # story's lead (earliest article) and size; ``story_stale_keys`` keys whose corroboration must be
        # counted again (an article of theirs was coded again); ``story_settings`` what the index was
        # built with (a change rebuilds it). Written only inside clustering's one transaction.
        (
            """CREATE TABLE story_articles (
                article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
                signature TEXT, day TEXT, dup_root TEXT NOT NULL, story_id TEXT NOT NULL
            )""",
            "CREATE INDEX story_articles_root ON story_articles (dup_root)",
            "CREATE INDEX story_articles_story ON story_articles (story_id)",
            """CREATE TABLE story_bands (
                band_key BIGINT NOT NULL,
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE
            )""",
            "CREATE INDEX story_bands_key ON story_bands (band_key)",
            "CREATE INDEX story_bands_article ON story_bands (article_id)",
            """CREATE TABLE story_mentions (
                event_id TEXT PRIMARY KEY,
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                event_key TEXT NOT NULL, day TEXT
            )""",
            "CREATE INDEX story_mentions_key ON story_mentions (event_key, day)",
            "CREATE INDEX story_mentions_article ON story_mentions (article_id)",
            """CREATE TABLE stories (
                story_id TEXT PRIMARY KEY, lead_id TEXT NOT NULL, lead_day TEXT, articles INTEGER NOT NULL
            )""",
            "CREATE TABLE story_stale_keys (event_key TEXT PRIMARY KEY)",
            "CREATE TABLE story_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ),
    ),
    (
        "0008_store_version",
        # A number every write transaction raises as its last statement (``Store.version``), so readers
        # can keep answers computed from the whole store until it changes (detente.api.cache).
        (
            "CREATE TABLE store_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)",
            "INSERT INTO store_version (id, version) VALUES (1, 0)",
        ),
    ),
    (
        "0009_story_pending",
        # Coded articles the story index does not hold yet, kept as rows of their own (written with the
        # bundle, removed when clustered), so finding them costs what they are, not a scan of the store.
        (
            """CREATE TABLE story_pending (
                article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE
            )""",
            """INSERT INTO story_pending (article_id) SELECT a.id FROM articles a WHERE a.skip_reason IS NULL
               AND NOT EXISTS (SELECT 1 FROM story_articles s WHERE s.article_id = a.id)""",
        ),
    ),
    (
        COUNTS_MIGRATION,
        # Reads that scale (issue 15). ``events.count_key`` is what counting compares (type, modality,
        # background, sides: counting.event_key) and ``sort_day`` the day a mention sorts by (its date, else
        # its publication, '' when neither: last in descending order), so listings use an index.
        # ``counted_events`` holds every event as counting.count_events counts it, one row per event with
        # what the overview and listings show; ``counted_members`` which mentions it joins, and
        # ``counted_pairs`` the country pairs it relates (counting.top_pairs). Each row belongs to a
        # partition (``part``): the mentions that are counted together (one story and key, or every
        # background mention of a key); writes recount the partitions they touch in their own transaction
        # (detente.store.event_counts). ``actor_counts`` and ``actor_event_counts`` keep Store.actors' sums.
        # The article text index: SQLite's FTS5 with trigrams (LIKE '%x%' uses it), PostgreSQL's pg_trgm
        # (GIN on the lowered title and text, which the same LIKE uses); without pg_trgm it is left out.
        (
            "ALTER TABLE events ADD COLUMN count_key TEXT",
            "ALTER TABLE events ADD COLUMN sort_day TEXT NOT NULL DEFAULT ''",
            """UPDATE events SET sort_day = COALESCE(date_start,
                   (SELECT a.pub_date FROM articles a WHERE a.id = events.article_id), '')""",
            "CREATE INDEX events_count_key ON events (count_key)",
            "CREATE INDEX events_sort ON events (sort_day DESC, id)",
            """CREATE TABLE counted_events (
                id TEXT PRIMARY KEY, part TEXT NOT NULL,
                day TEXT, month TEXT, before_article INTEGER NOT NULL, background INTEGER NOT NULL,
                reciprocal INTEGER NOT NULL, event_type TEXT NOT NULL, quad TEXT NOT NULL,
                mentions INTEGER NOT NULL, corroboration INTEGER NOT NULL, confidence REAL NOT NULL,
                intensity REAL NOT NULL, low_confidence INTEGER NOT NULL, single_source INTEGER NOT NULL
            )""",
            "CREATE INDEX counted_events_part ON counted_events (part)",
            "CREATE INDEX counted_events_day ON counted_events (day DESC, id)",
            """CREATE TABLE counted_members (
                mention_id TEXT PRIMARY KEY, event_id TEXT NOT NULL, article_id TEXT NOT NULL, part TEXT NOT NULL
            )""",
            "CREATE INDEX counted_members_article ON counted_members (article_id)",
            "CREATE INDEX counted_members_part ON counted_members (part)",
            """CREATE TABLE counted_pairs (
                event_id TEXT NOT NULL, part TEXT NOT NULL, x TEXT NOT NULL, y TEXT NOT NULL,
                forward INTEGER NOT NULL, backward INTEGER NOT NULL, PRIMARY KEY (event_id, x, y)
            )""",
            "CREATE INDEX counted_pairs_part ON counted_pairs (part)",
            """CREATE TABLE actor_counts (
                actor_id TEXT NOT NULL, name TEXT NOT NULL, country TEXT NOT NULL, sector TEXT NOT NULL,
                kind TEXT NOT NULL, refs INTEGER NOT NULL, PRIMARY KEY (actor_id, name, country, sector, kind)
            )""",
            """INSERT INTO actor_counts (actor_id, name, country, sector, kind, refs)
               SELECT actor_id, name, country, COALESCE(sector, ''), kind, COUNT(*) FROM actor_refs
               GROUP BY actor_id, name, country, COALESCE(sector, ''), kind""",
            "CREATE TABLE actor_event_counts (actor_id TEXT PRIMARY KEY, events INTEGER NOT NULL)",
            """INSERT INTO actor_event_counts (actor_id, events)
               SELECT actor_id, COUNT(DISTINCT event_id) FROM event_actors GROUP BY actor_id""",
            # Each claim's speakers (actor ids and countries), one row each: divergence finds A's claims
            # by index instead of scanning every claim's speaker list. Filled from the claims after the migration.
            """CREATE TABLE claim_speakers (
                claim_id TEXT NOT NULL, article_id TEXT NOT NULL, speaker TEXT NOT NULL,
                PRIMARY KEY (speaker, claim_id)
            )""",
            "CREATE INDEX claim_speakers_article ON claim_speakers (article_id)",
            ("sqlite", "CREATE VIRTUAL TABLE articles_search USING fts5(body, tokenize = 'trigram')"),
            (
                "sqlite",
                """INSERT INTO articles_search (rowid, body)
                          SELECT rowid, COALESCE(title, '') || char(31) || text FROM articles""",
            ),
            (
                "sqlite",
                """CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
                          INSERT INTO articles_search (rowid, body)
                          VALUES (new.rowid, COALESCE(new.title, '') || char(31) || new.text); END""",
            ),
            (
                "sqlite",
                """CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
                          DELETE FROM articles_search WHERE rowid = old.rowid; END""",
            ),
            (
                "postgresql",
                """DO $$ BEGIN
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX articles_title_trgm ON articles USING gin (LOWER(title) gin_trgm_ops);
                CREATE INDEX articles_text_trgm ON articles USING gin (LOWER(text) gin_trgm_ops);
            EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
                RAISE NOTICE 'pg_trgm is not available: search scans the articles';
            END $$""",
            ),
        ),
    ),
    (
        COMPONENTS_MIGRATION,
        # A background event merges with mentions of its key anywhere in the store, but only through dates
        # within the window of each other or a shared story: each key's background mentions are kept in
        # those components (detente.store.event_counts), so a new mention recounts the few it touches, not
        # every mention of its key. Each counted mention keeps its key, story and (dated background) piece
        # interval to find them by index.
        (
            "ALTER TABLE counted_members ADD COLUMN count_key TEXT",
            "ALTER TABLE counted_members ADD COLUMN story TEXT",
            "ALTER TABLE counted_members ADD COLUMN lo TEXT",
            "ALTER TABLE counted_members ADD COLUMN hi TEXT",
            "CREATE INDEX counted_members_key_story ON counted_members (count_key, story)",
            "CREATE INDEX counted_members_key_day ON counted_members (count_key, lo)",
        ),
    ),
    (
        "0012_article_counts_indexes",
        # The overview's store figures (outlets, skipped articles) read from indexes, not a scan of articles.
        (
            "CREATE INDEX articles_outlet ON articles (outlet)",
            "CREATE INDEX articles_skipped ON articles (skip_reason)",
        ),
    ),
    (
        NEWS_COMPONENTS_MIGRATION,
        # News mentions of one story and key merge only through dates within the window of each other too,
        # and a story can hold hundreds of articles: their partitions are cut into components like background
        # ones (``n|story|key|component``). Nothing changes in the schema; the counts are counted again.
        (),
    ),
    (
        "0014_skipped_inputs",
        # Input files and records that never became articles (empty, binary, not valid JSON, ...), with
        # why: the overview and 'detente stats' list them beside the articles stored uncoded. One row per
        # input, the latest reason.
        (
            """CREATE TABLE skipped_inputs (
                source TEXT PRIMARY KEY, reason TEXT NOT NULL, skipped_at TEXT NOT NULL
            )""",
            "CREATE INDEX skipped_inputs_at ON skipped_inputs (skipped_at)",
        ),
    ),
    (
        "0015_count_later",
        # Articles written with their counts left for later (``write_bundles(count_later=True)``: a coding
        # run's batches, counted once at its clustering, detente.store.event_counts). And the skipped-articles
        # index made partial: on the whole column, SQLite chose it for ``id IN (...) AND skip_reason IS
        # NULL`` (nearly every row) over the primary key, 45 ms per batch at 50,000 articles.
        (
            "CREATE TABLE counted_pending (article_id TEXT PRIMARY KEY)",
            "DROP INDEX articles_skipped",
            "CREATE INDEX articles_skipped ON articles (skip_reason) WHERE skip_reason IS NOT NULL",
        ),
    ),
    (
        DIVERGENCE_MIGRATION,
        # Divergence evidence per article and actor pair, computed when the article is written
        # (detente.store.divergence_items): a dyad page reads its rows, not the bundles of every article
        # that can hold evidence (1.8 s of CPU at 50,000 articles). Filled for the stored articles after it.
        (
            """CREATE TABLE divergence_items (
                a TEXT NOT NULL, b TEXT NOT NULL,
                article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL, published TEXT NOT NULL, mention_id TEXT, data TEXT NOT NULL,
                PRIMARY KEY (a, b, article_id, seq)
            )""",
            "CREATE INDEX divergence_items_article ON divergence_items (article_id)",
        ),
    ),
    (
        "0017_event_pairs",
        # The dyad filter by index: one row per event and pair of keys (actor id or country code) it relates,
        # source to target, and between the participants of a reciprocal event (all in its source), written
        # with the event. A dyad query read six lists of every event with one side in a role (14,575 rows for
        # the United States as a source at 50,000 articles) to keep 1,564.
        (
            """CREATE TABLE event_pairs (
                x TEXT NOT NULL, y TEXT NOT NULL,
                event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
                PRIMARY KEY (x, y, event_id)
            )""",
            "CREATE INDEX event_pairs_event ON event_pairs (event_id)",
            """INSERT INTO event_pairs (x, y, event_id) SELECT DISTINCT k.x, k.y, k.event_id FROM (
                 SELECT s.actor_id AS x, t.actor_id AS y, s.event_id AS event_id FROM event_actors s JOIN event_actors t ON t.event_id = s.event_id WHERE s.role = 'source' AND t.role = 'target'
                 UNION SELECT s.actor_id AS x, t.country AS y, s.event_id AS event_id FROM event_actors s JOIN event_actors t ON t.event_id = s.event_id WHERE s.role = 'source' AND t.role = 'target'
                 UNION SELECT s.country AS x, t.actor_id AS y, s.event_id AS event_id FROM event_actors s JOIN event_actors t ON t.event_id = s.event_id WHERE s.role = 'source' AND t.role = 'target'
                 UNION SELECT s.country AS x, t.country AS y, s.event_id AS event_id FROM event_actors s JOIN event_actors t ON t.event_id = s.event_id WHERE s.role = 'source' AND t.role = 'target'
                 UNION SELECT s.actor_id AS x, t.actor_id AS y, s.event_id AS event_id FROM event_actors s JOIN event_actors t ON t.event_id = s.event_id JOIN events e ON e.id = s.event_id AND e.reciprocal = 1 WHERE s.role = 'source' AND t.role = 'source'
                 UNION SELECT s.actor_id AS x, t.country AS y, s.event_id AS event_id FROM event_actors s JOIN event_actors t ON t.event_id = s.event_id JOIN events e ON e.id = s.event_id AND e.reciprocal = 1 WHERE s.role = 'source' AND t.role = 'source'
                 UNION SELECT s.country AS x, t.actor_id AS y, s.event_id AS event_id FROM event_actors s JOIN event_actors t ON t.event_id = s.event_id JOIN events e ON e.id = s.event_id AND e.reciprocal = 1 WHERE s.role = 'source' AND t.role = 'source'
                 UNION SELECT s.country AS x, t.country AS y, s.event_id AS event_id FROM event_actors s JOIN event_actors t ON t.event_id = s.event_id JOIN events e ON e.id = s.event_id AND e.reciprocal = 1 WHERE s.role = 'source' AND t.role = 'source'
            ) k""",
        ),
    ),
    (
        KOSOVO_MIGRATION,
        # Kosovo is XKX (issue 11), the code of the annotations, the gazetteer and the map; detente wrote
        # PLOVER's KOS before. The code is in the refs' columns, in the ids made from it ("country:KOS",
        # "group:kos-gov"), in the records' JSON and in every table computed from them (pairs, counts,
        # speakers, divergence evidence), so SQL does not rewrite it: the articles that name KOS are read and
        # written again by the code that writes any article (``SQLStore._after_migrations``). Nothing
        # changes in the schema.
        (),
    ),
)

OLD_KOSOVO, KOSOVO = "KOS", "XKX"
# Which stored articles name Kosovo KOS: a ref, an event's side or a claim's speaker or leaker. ``%%`` is one
# wildcard for SQLite and a literal ``%`` for psycopg (see 0004); the JSON is json.dumps's (``": "``).
KOSOVO_ARTICLES = f"""SELECT article_id FROM actor_refs WHERE country = '{OLD_KOSOVO}'
    UNION SELECT article_id FROM events WHERE data LIKE '%%"country": "{OLD_KOSOVO}"%%'
    UNION SELECT article_id FROM claims WHERE data LIKE '%%"country": "{OLD_KOSOVO}"%%'
    ORDER BY 1"""


def kosovo_actor_id(actor_id: str) -> str:
    """The id today's detente gives an actor whose id an older one made from KOS (see the knowledge base
    and matching: ``country:KOS``, ``group:kos-cop``, ``phoenix:country:kos:kosovo``, ``org:x:kos``)."""
    if actor_id == f"country:{OLD_KOSOVO}":
        return f"country:{KOSOVO}"
    old, new = OLD_KOSOVO.lower(), KOSOVO.lower()
    for prefix in ("group:", "phoenix:country:"):
        for sep in ("-", ":"):
            if actor_id.startswith(f"{prefix}{old}{sep}"):
                return f"{prefix}{new}{sep}{actor_id[len(prefix) + len(old) + 1 :]}"
    if actor_id.endswith(f":{old}"):  # a national branch of a body: its id and the country stated
        return f"{actor_id[: -len(old)]}{new}"
    return actor_id


def _ref(ref: ActorRef) -> ActorRef:
    if ref.country != OLD_KOSOVO:
        return ref
    return dataclasses.replace(ref, country=KOSOVO, actor_id=kosovo_actor_id(ref.actor_id))


def _place(place: Place | None) -> Place | None:
    return dataclasses.replace(place, country=KOSOVO) if place and place.country == OLD_KOSOVO else place


def kosovo_xkx(bundle: Bundle) -> Bundle:
    """A bundle an older detente wrote, with Kosovo's KOS as XKX: refs, event sides, speakers, leakers,
    places. Event and claim ids stay (other tables and links name them); nothing else changes."""

    def refs(items: tuple[ActorRef, ...]) -> tuple[ActorRef, ...]:
        return tuple(_ref(r) for r in items)

    return dataclasses.replace(
        bundle,
        actors=refs(bundle.actors),
        claims=tuple(
            dataclasses.replace(c, speaker=refs(c.speaker), obtained_by=refs(c.obtained_by))
            for c in bundle.claims
        ),
        events=tuple(
            dataclasses.replace(e, source=refs(e.source), target=refs(e.target), place=_place(e.place))
            for e in bundle.events
        ),
        places=tuple(
            dataclasses.replace(p, country=KOSOVO) if p.country == OLD_KOSOVO else p for p in bundle.places
        ),
    )
