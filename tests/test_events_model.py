"""The learned event decisions: the linear model, the policy that combines it with the rules, the
annotated corpus it learns from, and agreement between annotators. Sentences are our own."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from detente.events.agreement import cohen_kappa, match
from detente.events.corpus import ANNOTATIONS, RESERVED_VOA_IDS, annotation_problems, load_corpus, read_jsonl
from detente.events.linear import LinearModel, train
from detente.events.model import NO_EVENT, Choice, Policy, Scored, select
from detente.records import ActorRef, Event, Span


def _toy() -> tuple[list[list[str]], list[str]]:
    rows = [
        ["lem=attack", "subj_actor=True"],
        ["lem=say"],
        ["lem=meet", "subj_actor=True"],
        ["lem=attack"],
        ["lem=say", "quoted"],
    ]
    return rows * 4, ["ASSAULT", "NONE", "CONSULT", "ASSAULT", "NONE"] * 4


def test_training_is_deterministic_and_survives_a_round_trip(tmp_path: Path):
    rows, labels = _toy()
    first = train(rows, labels, l2=0.5)
    second = train(rows, labels, l2=0.5)
    assert np.array_equal(first.weights, second.weights) and np.array_equal(first.bias, second.bias)
    first.save(tmp_path / "m")
    loaded = LinearModel.load(tmp_path / "m")
    for row in (["lem=attack"], ["lem=say"], ["lem=meet", "subj_actor=True"], ["unseen"]):
        a, b = first.probabilities(row), loaded.probabilities(row)
        assert a.keys() == b.keys()
        assert all(abs(a[k] - b[k]) < 2e-3 for k in a)  # float16 weights on disk


def test_the_model_learns_the_toy_classes():
    rows, labels = _toy()
    model = train(rows, labels, l2=0.1)
    assert max(model.probabilities(["lem=attack"]).items(), key=lambda kv: kv[1])[0] == "ASSAULT"
    assert max(model.probabilities(["lem=say"]).items(), key=lambda kv: kv[1])[0] == "NONE"


def test_dense_columns_add_to_the_score():
    rows, labels = [["a"], ["a"]] * 5, ["x", "y"] * 5
    dense = np.array([[1.0, 0.0], [0.0, 1.0]] * 5)
    model = train(rows, labels, l2=0.1, dense=dense, min_count=1)
    assert model.probabilities(["a"], np.array([1.0, 0.0]))["x"] > 0.8
    assert model.probabilities(["a"], np.array([0.0, 1.0]))["y"] > 0.8


def test_the_background_model_reads_the_sentence_embedding(parser):
    """A background model whose only weights are on the dense columns, pointing at one sentence's
    embedding: a trigger in that sentence is background, the same verb in an unrelated sentence is not."""
    from detente.events.features import sentence_views, trigger_vector
    from detente.events.model import EventModel

    recalled = parser("Years ago, before the war, the army shelled the old port of the city.")
    news = parser("Heavy rain is expected in the capital on Sunday, and the army shelled nothing.")
    direction = trigger_vector(next(t for t in recalled if t.text == "shelled"))
    other = trigger_vector(next(t for t in news if t.text == "shelled"))
    weights = np.zeros((direction.size, 2), dtype=np.float32)
    weights[:, 0] = direction * 50
    # The decision line halfway between the two sentences' scores: without the dense columns both would
    # score the bias alone and get the same answer.
    middle = 50 * (float(direction @ direction) + float(direction @ other)) / 2
    background = LinearModel(["background", "news"], {}, weights, np.array([-middle, 0.0], np.float32),
                             dense_size=direction.size)  # fmt: skip
    toy = train(*_toy(), min_count=1)
    model = EventModel(toy, toy, frozenset(), background=background)
    for doc, expected in ((recalled, True), (news, False)):
        view = sentence_views(doc, [], set())[0]
        token = next(t for t in doc if t.text == "shelled")
        assert model.is_background(token, view, None) is expected


def test_an_act_told_in_the_simple_present_is_never_background(parser):
    """features.told_in_present is read before the background model: a background model that calls every
    trigger background still leaves a present-tense act ("warns", and "warn" coordinated with a present
    verb, which the parser tags VB) as news; a past or perfect one, and a noun, are left to the model."""
    from detente.events.features import sentence_views, told_in_present
    from detente.events.model import EventModel

    always = LinearModel(
        ["background", "news"], {}, np.zeros((0, 2), np.float32), np.array([5.0, 0.0], np.float32)
    )
    toy = train(*_toy(), min_count=1)
    model = EventModel(toy, toy, frozenset(), background=always)
    cases = {
        "The FSB warns against Chinese spying.": ("warns", False),
        "Russian services perceive China as a risk and warn against its spying.": ("warn", False),
        "The FSB warned against Chinese spying.": ("warned", True),
        "The FSB has warned against Chinese spying.": ("warned", True),
        "The warning against Chinese spying came late.": ("warning", True),
    }
    for text, (word, background) in cases.items():
        doc = parser(text)
        view = sentence_views(doc, [], set())[0]
        token = next(t for t in doc if t.text == word)
        assert told_in_present(token) is not background, text
        assert model.is_background(token, view, None) is background, text


def test_the_background_features_read_when_before_publication_the_sentence_dates_fall(parser):
    """The guideline's line: events more than a few days before the publication date are background.
    The features say how long before publication each date of the sentence ends (near the trigger or
    not), whether the trigger is told from a later past ("had shelled") or as what will be, and its tag."""
    import datetime as dt

    from detente.events.features import background_features, sentence_views
    from detente.events.lexicon import load_lexicon

    published = dt.date(2025, 6, 4)  # a Wednesday
    doc = parser(
        "The army shelled the port on Monday. In March 2019 the army had shelled the same port. "
        "The army will shell the port again next month. Officials said the army shelled it last year."
    )
    lexicon = load_lexicon()
    features = []
    for view in sentence_views(doc, [], set()):
        trigger = next(t for t in view.sent if t.lemma_ == "shell")
        features.append(set(background_features(trigger, view, lexicon, published)))
    monday, recalled, planned, last_year = features
    assert {"bg_days=days", "bg_days_near=days"} <= monday
    assert {"bg_days_near=years", "bg_pluperfect"} <= recalled
    assert {"bg_days_near=future", "bg_future"} <= planned
    assert {"bg_days_near=year", "bg_tag=VBD"} <= last_year
    first = sentence_views(doc, [], set())[0]
    undated = background_features(next(t for t in first.sent if t.lemma_ == "shell"), first, lexicon, None)
    assert not any(f.startswith("bg_days") for f in undated)  # no publication date: nothing to count from
    assert "bg_pluperfect" not in monday and "bg_future" not in recalled


def test_the_shipped_model_was_trained_on_the_rows_the_code_makes_today():
    """The shipped model records a digest of a few stories' training rows (``training_rows``); the code of
    today must make the same rows, or the model was trained on other features than the stage computes (a
    change to the actors, the rules or the features since `make train`: retrain, then regenerate the goldens)."""
    from detente.events import training
    from detente.events.corpus import load_corpus, load_wire
    from detente.events.lexicon import load_lexicon
    from detente.events.model import MODEL_DIR, EventModel

    recorded = json.loads((MODEL_DIR / "model.json").read_text(encoding="utf-8"))["training_rows"]
    stories = load_corpus() + (load_wire() if training.USE_WIRE else [])
    assert training.fingerprint_groups(s.group for s in stories) == recorded["stories"]
    chosen = [s for s in stories if s.group in set(recorded["stories"])]
    lexicon = load_lexicon()
    parsed = training.parse_corpus(training.nlp_for_training(), chosen, lexicon)
    now = training.training_rows_record(parsed, lexicon, EventModel.load().vocabulary)
    assert now["sha256"] == recorded["sha256"], "the shipped events model is stale: run `make train`"


# -- the policy ----------------------------------------------------------------------------------------------


def _event(event_type: str, confidence: float = 0.7) -> Event:
    span = Span("x", 0, 1)
    return Event("e", "a", event_type, None, (), "material_conflict", -5.0, "asserted",
                 (ActorRef("Egypt", 0, 5, "c:EGY", "Egypt", "EGY"),), (), span, span, confidence=confidence)  # fmt: skip


def _scored(parser, probabilities: dict[str, float], rule: Event | None) -> Scored:
    token = parser("Egypt attacked Libya.")[1]
    full = dict.fromkeys(("ASSAULT", "ACCUSE", NO_EVENT), 0.0) | probabilities
    return Scored(token, full, rule)


def test_a_miss_is_told_by_what_the_model_and_the_rules_gave_its_trigger(parser):
    from detente.events.training import miss_reason

    assert miss_reason([], "ASSAULT") == "no candidate"
    # the rules proposed the type (the policy dropped it), whatever the model's probability
    assert miss_reason([_scored(parser, {NO_EVENT: 0.95}, _event("ASSAULT"))], "ASSAULT") == (
        "rule proposed it, policy dropped it"
    )
    # otherwise the band of the model's highest probability of the type over the trigger's words
    low, mid = (
        _scored(parser, {"ASSAULT": 0.05, NO_EVENT: 0.95}, None),
        _scored(parser, {"ASSAULT": 0.35}, None),
    )
    assert miss_reason([low], "ASSAULT") == "P(type) < 0.1"
    assert miss_reason([low, mid], "ASSAULT") == "P(type) 0.3-0.5"
    assert miss_reason([_scored(parser, {"ACCUSE": 0.6}, _event("ACCUSE"))], "ASSAULT") == "P(type) < 0.1"


def test_a_rule_proposal_stays_unless_the_model_is_sure_it_is_no_event(parser):
    policy = Policy(drop=0.8, override=0.9, add=0.6)
    kept = select([_scored(parser, {"ASSAULT": 0.3, NO_EVENT: 0.7}, _event("ASSAULT"))], policy)
    assert [c.event_type for c in kept] == ["ASSAULT"] and kept[0].rule is not None  # the rule's roles
    assert select([_scored(parser, {"ASSAULT": 0.1, NO_EVENT: 0.9}, _event("ASSAULT"))], policy) == []


def test_a_protected_rule_proposal_falls_only_to_a_near_certain_no_event(parser):
    """protect shields the rules' surest proposals from "no event" at drop; protect_drop is where that
    shield ends ("criminal gangs seeking huge ransoms" proposed as REQUEST at 0.9, P(no event) 0.97)."""
    policy = Policy(drop=0.8, override=0.9, add=1.01, protect=0.9, protect_drop=0.95)
    sure_rule = _event("REQUEST", confidence=0.95)
    doubted = _scored(parser, {"REQUEST": 0.1, NO_EVENT: 0.9}, sure_rule)
    assert [c.event_type for c in select([doubted], policy)] == ["REQUEST"]
    near_certain = _scored(parser, {"REQUEST": 0.03, NO_EVENT: 0.97}, sure_rule)
    assert select([near_certain], policy) == []
    # an unprotected proposal still falls at drop, and without protect_drop nothing protected falls
    assert select([_scored(parser, {"REQUEST": 0.1, NO_EVENT: 0.9}, _event("REQUEST"))], policy) == []
    shielded = Policy(drop=0.8, override=0.9, add=1.01, protect=0.9)
    assert [c.event_type for c in select([near_certain], shielded)] == ["REQUEST"]


def test_the_model_replaces_the_rule_type_only_when_sure(parser):
    policy = Policy(drop=0.8, override=0.7, add=0.6)
    [sure] = select([_scored(parser, {"ACCUSE": 0.75, NO_EVENT: 0.1}, _event("ASSAULT"))], policy)
    assert sure.event_type == "ACCUSE" and sure.rule is None  # the model's roles for its own type
    [unsure] = select([_scored(parser, {"ACCUSE": 0.5, NO_EVENT: 0.2}, _event("ASSAULT"))], policy)
    assert unsure.event_type == "ASSAULT"


def test_keep_drops_a_rule_proposal_the_model_doubts_in_its_own_type(parser):
    """The model spreads its belief over other types: P(no event) under drop, P(rule type) under keep."""
    policy = Policy(drop=0.8, keep=0.2, override=0.9, add=1.01)
    doubted = _scored(parser, {"ASSAULT": 0.1, "ACCUSE": 0.5, NO_EVENT: 0.4}, _event("ASSAULT"))
    assert select([doubted], policy) == []
    believed = _scored(parser, {"ASSAULT": 0.25, "ACCUSE": 0.35, NO_EVENT: 0.4}, _event("ASSAULT"))
    assert [c.event_type for c in select([believed], policy)] == ["ASSAULT"]
    # a sure override wins over keep; protect shields a confident rule proposal from it
    sure = _scored(parser, {"ASSAULT": 0.05, "ACCUSE": 0.92, NO_EVENT: 0.03}, _event("ASSAULT"))
    assert [c.event_type for c in select([sure], policy)] == ["ACCUSE"]
    protected = Policy(drop=0.8, keep=0.2, override=0.9, add=1.01, protect=0.9)
    assert [c.event_type for c in select([doubted], protected)] == []
    assert [c.event_type for c in select([_scored(parser, {"ASSAULT": 0.1, "ACCUSE": 0.5, NO_EVENT: 0.4},
                                                  _event("ASSAULT", confidence=0.95))], protected)] == ["ASSAULT"]  # fmt: skip


def test_a_word_the_rules_missed_needs_a_high_probability(parser):
    policy = Policy(drop=0.8, override=0.7, add=0.6)
    assert [c.event_type for c in select([_scored(parser, {"ASSAULT": 0.65}, None)], policy)] == ["ASSAULT"]
    assert select([_scored(parser, {"ASSAULT": 0.55}, None)], policy) == []
    assert (
        select([_scored(parser, {"ASSAULT": 0.9}, _event("ASSAULT", confidence=0.2))], policy)[0].rule is None
    )


def test_two_words_of_one_phrase_are_one_event(parser):
    doc = parser("Britain imposed sanctions on Iran.")
    imposed, sanctions = doc[1], doc[2]
    both = [Choice(imposed, "SANCTION", 0.8, None), Choice(sanctions, "SANCTION", 0.9, None)]
    from detente.events.model import _one_per_phrase

    assert [c.token.text for c in _one_per_phrase(both)] == ["sanctions"]


# -- the corpus ----------------------------------------------------------------------------------------------

needs_corpus = pytest.mark.skipif(
    not (ANNOTATIONS / "sentences.jsonl").exists(), reason="no data/annotations"
)


@needs_corpus
def test_every_annotation_record_follows_the_guideline():
    texts = {r["id"]: r["text"] for r in read_jsonl(ANNOTATIONS / "sentences.jsonl")}
    problems = []
    for path in sorted((ANNOTATIONS / "raw").glob("*.jsonl")):
        for record in read_jsonl(path):
            problems += [
                (path.name, record["id"], p) for p in annotation_problems(record, texts[record["id"]])
            ]
    assert problems == []


@needs_corpus
def test_the_corpus_never_holds_a_reserved_story_and_meets_the_size_floor():
    # read from docs/reserved-voa-stories.txt: an empty set would prove nothing
    assert len(RESERVED_VOA_IDS) == 22
    assert not any(
        r["story"].removeprefix("voa-") in RESERVED_VOA_IDS
        for r in read_jsonl(ANNOTATIONS / "sentences.jsonl")
    )
    stories = load_corpus()
    sentences = [s for story in stories for s in story.sentences]
    news = [s for story in stories if story.is_news for s in story.sentences]
    assert len(sentences) >= 4000 and len(news) >= 1500
    assert sum(len(s.events) for s in sentences) >= 1000


def test_annotation_problems_name_what_is_wrong():
    good = {"id": "x", "events": [{"type": "ASSAULT", "modality": "asserted", "trigger": "shelled",
                                   "source": [{"text": "Russia", "country": "RUS", "sector": "GOV"}], "target": []}]}  # fmt: skip
    assert list(annotation_problems(good, "Russia shelled Kharkiv.")) == []
    bad = json.loads(json.dumps(good))
    bad["events"][0] |= {"type": "FIGHT", "trigger": "bombed", "reciprocal": True, "target": [
        {"text": "Kharkiv", "country": "Ukraine", "sector": "CIV"}]}  # fmt: skip
    problems = " | ".join(annotation_problems(bad, "Russia shelled Kharkiv."))
    for expected in (
        "not a PLOVER type",
        "trigger 'bombed'",
        "country 'Ukraine'",
        "sector 'CIV'",
        "reciprocal",
    ):
        assert expected in problems


def test_cohen_kappa_and_event_matching():
    assert cohen_kappa([("a", "a"), ("b", "b")]) == 1.0
    assert cohen_kappa([("a", "b"), ("b", "a")]) == -1.0
    text = "Putin met Xi and praised him."
    first = [{"type": "CONSULT", "trigger": "met"}, {"type": "SUPPORT", "trigger": "praised"}]
    second = [{"type": "SUPPORT", "trigger": "praised him"}]
    assert [(a["type"], b["type"]) for a, b in match(text, first, second)] == [("SUPPORT", "SUPPORT")]


def test_the_policy_objective_puts_the_dev_gold_limit_before_precision_and_f1():
    """A policy that drops the dev gold under 0.80 ranks below any that keeps it, whatever its news F1;
    the choice asks for a margin over the line, so that the policy holds it on the next fold too."""
    from detente.events.training import Report, objective

    low, kept = {"type_accuracy": 0.69, "macro_f1": 0.72}, {"type_accuracy": 0.83, "macro_f1": 0.825}
    assert objective(Report([]), kept) > objective(Report([]), low)
    assert objective(Report([]), {"type_accuracy": 0.81, "macro_f1": 0.81})[1] == 0.0  # inside the margin
    assert objective(Report([]), {"type_accuracy": 0.9, "macro_f1": 0.79})[1] == 0.0  # both figures count
    assert objective(Report([]))[1] == 1.0  # no dev gold held out: no limit to meet


def test_the_shipped_models_cross_validated_report_meets_the_limits_its_policy_was_chosen_under():
    """``make train`` writes the nested-CV report beside the weights; the README and docs/events.md quote it.
    The lines the choice enforces (dev gold >= 0.80, no-event sentences coded <= 10 %) must hold on the
    shipped report, and the model file must carry the same figures (a retrain that breaks either shows here)."""
    from detente.events.model import MODEL_DIR
    from detente.events.training import MAX_NEGATIVES_CODED, MIN_DEV_GOLD, brief

    report = json.loads((MODEL_DIR / "cv_report.json").read_text())
    model = report["model"]
    assert model["dev_gold"]["type_accuracy"] >= MIN_DEV_GOLD
    assert model["dev_gold"]["macro_f1"] >= MIN_DEV_GOLD
    assert model["news"]["negatives_coded"] <= MAX_NEGATIVES_CODED
    assert model["news"]["f1"] > report["rules_alone"]["news"]["f1"]  # the learned coder earns its place
    shipped = json.loads((MODEL_DIR / "model.json").read_text())
    assert shipped["cross_validation"] == brief(report)


# -- roles: the rules' where they answer, the role model's where they leave a role empty ----------------------


def _arrest_view(
    parser, rule_source: tuple[ActorRef, ...], rule_target: tuple[ActorRef, ...], event_type: str
):
    from detente.events.features import Mention, SentenceView

    doc = parser("Police arrested dozens of protesters in Lagos on Monday.")
    police = ActorRef("Police", 0, 6, "a:NGA:COP", "police", "NGA", "COP", kind="agent")
    protesters = ActorRef("protesters", 26, 36, "a:NGA:CVL", "protesters", "NGA", "CVL", kind="agent")
    mentions = [Mention(police, doc[0], frozenset({0})), Mention(protesters, doc[4], frozenset({4}))]
    trigger = doc[1]
    span = Span(trigger.text, trigger.idx, trigger.idx + len(trigger.text))
    rule = Event("e", "a", event_type, None, (), "material_conflict", -5.0, "asserted",
                 rule_source or (police,), rule_target, span, span, confidence=0.7)  # fmt: skip
    view = SentenceView(next(iter(doc.sents)), mentions, {trigger.i: rule}, set())
    scored = Scored(trigger, {event_type: 0.9, NO_EVENT: 0.1}, rule)
    return doc, view, scored, police, protesters


def _side_role_model() -> LinearModel:
    """A role model that reads only the side: before the trigger is the source, after it the target."""
    rows = [["side=before"], ["side=after"], ["speaker"]] * 5
    return train(rows, ["source", "target", "none"] * 5, l2=0.1, min_count=1)


def test_a_role_the_rules_left_empty_is_filled_by_the_role_model_only_under_fill_roles(parser):
    from detente.events.model import EventModel

    model = EventModel(train(*_toy(), min_count=1), _side_role_model(), frozenset())
    doc, view, scored, police, protesters = _arrest_view(parser, (), (), "COERCE")
    plain = model.events_from(doc, [(view, [scored])], Policy(fill_roles=False))
    filled = model.events_from(doc, [(view, [scored])], Policy(fill_roles=True))
    assert [e.source for e in plain] == [(police,)] and [e.target for e in plain] == [()]
    # the rules' source stays; the role model supplies the target, never the rules' own source again
    assert [e.source for e in filled] == [(police,)] and [e.target for e in filled] == [(protesters,)]


def test_filling_never_turns_a_reciprocal_event_one_sided(parser):
    from detente.events.model import EventModel

    model = EventModel(train(*_toy(), min_count=1), _side_role_model(), frozenset())
    army = ActorRef("the army", 40, 48, "a:NGA:MIL", "army", "NGA", "MIL", kind="agent")
    rebels = ActorRef("rebels", 50, 56, "a:NGA:REB", "rebels", "NGA", "REB", kind="agent")
    doc, view, scored, _, _ = _arrest_view(parser, (army, rebels), (), "CONSULT")
    [event] = model.events_from(doc, [(view, [scored])], Policy(fill_roles=True))
    assert event.reciprocal and event.target == () and event.source == (army, rebels)


@needs_corpus
def test_the_written_sentences_follow_the_guideline_and_keep_each_block_in_one_group():
    from detente.events.corpus import load_written

    stories = load_written()
    assert len(stories) >= 800
    problems = [p for story in stories for s in story.sentences
                for p in annotation_problems({"events": list(s.events)}, s.text)]  # fmt: skip
    assert problems == []
    assert len({story.id for story in stories}) == len(stories)
    blocks: dict[str, int] = {}
    for story in stories:
        assert not story.is_news and story.group == story.id.rsplit("-", 1)[0]
        blocks[story.group] = blocks.get(story.group, 0) + 1
    # writers 1-4: a block of 52 for each of the 16 types; writer 5: smaller blocks for the classes
    assert sum(n >= 50 for n in blocks.values()) == 16 and all(n >= 12 for n in blocks.values())
    # confusers are part of each block: sentences without any event are there, not only positives, and
    # no confuser (ids 41-52, data/annotations/written/README.md) reports its block's own type as news
    assert sum(not s.events for story in stories for s in story.sentences) >= 80
    for story in stories:
        number, block_type = int(story.id.rsplit("-", 1)[1]), story.id.split("-")[2]
        if number > 40:
            events = story.sentences[0].events
            assert not any(e["type"] == block_type and not e.get("background") for e in events), story.id


def test_the_dev_gold_scores_type_and_countries_of_the_most_confident_event():
    from detente.events.training import GoldEvent, Outcome, dev_gold_scores

    def predicted(event_type: str, confidence: float, source: str, target: str) -> Event:
        span = Span("x", 0, 1)
        refs = {code: ActorRef(code, 0, 3, f"c:{code}", code, code) for code in (source, target)}
        return Event("e", "a", event_type, None, (), "material_conflict", -5.0, "asserted",
                     (refs[source],), (refs[target],), span, span, confidence=confidence)  # fmt: skip

    def gold(event_type: str, source: str, target: str) -> GoldEvent:
        return GoldEvent(event_type, (0, 1), frozenset({source}), frozenset({target}), ((0, 1),), ((2, 3),))

    items = [
        # right type, right countries; a weaker second event of the sentence is not the one scored
        Outcome("PLOVER-1", "PLOVER-1", predicted("ASSAULT", 0.7, "EGY", "LBY"), gold("ASSAULT", "EGY", "LBY"), False),
        Outcome("PLOVER-1", "PLOVER-1", predicted("ACCUSE", 0.2, "LBY", "EGY"), None, False),
        # right type, the recipient unknown: the source counts, the target does not (UNK is dropped)
        Outcome("PLOVER-2", "PLOVER-2", predicted("REQUEST", 0.6, "USA", "UNK"), gold("REQUEST", "USA", "IRN"), False),
        # nothing coded: type, source and target all wrong
        Outcome("PLOVER-3", "PLOVER-3", None, gold("REJECT", "SYR", "TUR"), False),
    ]  # fmt: skip
    scores = dev_gold_scores(items)
    assert scores["sentences"] == 3 and scores["type_accuracy"] == round(2 / 3, 3)
    assert scores["source_country"] == round(2 / 3, 3) and scores["target_country"] == round(1 / 3, 3)


def test_operating_points_keep_only_the_events_at_or_above_each_confidence():
    from detente.events.training import GoldEvent, Outcome, Report

    def predicted(confidence: float) -> Event:
        span = Span("x", 0, 1)
        refs = {code: ActorRef(code, 0, 3, f"c:{code}", code, code) for code in ("EGY", "LBY")}
        return Event("e", "a", "ASSAULT", None, (), "material_conflict", -5.0, "asserted",
                     (refs["EGY"],), (refs["LBY"],), span, span, confidence=confidence)  # fmt: skip

    gold = GoldEvent("ASSAULT", (0, 1), frozenset({"EGY"}), frozenset({"LBY"}), ((0, 1),), ((2, 3),))
    items = [
        Outcome("s", "s1", predicted(0.95), gold, True),  # a hit at 0.95
        Outcome("s", "s2", predicted(0.55), gold, True),  # a hit at 0.55
        Outcome("s", "s3", predicted(0.65), None, True),  # a no-event sentence coded at 0.65
        Outcome("s", "s4", None, gold, True),  # a miss
        Outcome("s", "s5", None, None, True),  # a no-event sentence left clean
    ]  # fmt: skip
    rows = {row["min_confidence"]: row for row in Report(items).operating_points((0.0, 0.6, 0.9))}
    assert (rows[0.0]["events"], rows[0.0]["precision"], rows[0.0]["recall"]) == (
        3,
        round(2 / 3, 3),
        round(2 / 3, 3),
    )
    assert rows[0.0]["negatives_coded"] == 0.5 and rows[0.0]["both_countries_right"] == 1.0
    assert (rows[0.6]["events"], rows[0.6]["precision"], rows[0.6]["recall"]) == (2, 0.5, round(1 / 3, 3))
    assert (rows[0.9]["events"], rows[0.9]["precision"], rows[0.9]["negatives_coded"]) == (1, 1.0, 0.0)


def test_within_noise_of_the_best_f1_the_policy_that_changes_the_rules_least_is_chosen():
    from detente.events.training import F1_TIE, pick_policy

    limits = (1.0, 1.0, 0.0)
    best_f1 = Policy(drop=0.65, keep=0.1)
    gentler = Policy(drop=0.8, keep=0.0)
    too_far = Policy(drop=0.9, keep=0.0)
    breaks_a_limit = Policy(drop=1.01, keep=0.0)
    scored = [
        ((*limits, 0.505), best_f1),
        ((*limits, 0.505 - F1_TIE / 2), gentler),
        ((*limits, 0.505 - 2 * F1_TIE), too_far),  # outside the noise band: F1 decides
        ((1.0, 0.0, 0.0, 0.52), breaks_a_limit),  # the dev gold under 0.80: never chosen
    ]
    assert pick_policy(scored) is gentler


def test_within_noise_a_retrain_keeps_the_shipped_policy():
    from detente.events.training import F1_TIE, pick_policy

    limits = (1.0, 1.0, 0.0)
    shipped = Policy(drop=0.8, keep=0.0)
    gentler = Policy(drop=1.01, keep=0.2)  # first in the least-change order
    scored = [((*limits, 0.505), gentler), ((*limits, 0.505 - F1_TIE / 2), Policy(drop=0.8, keep=0.0))]
    assert pick_policy(scored, shipped).as_dict() == shipped.as_dict()
    assert pick_policy(scored) is gentler  # a first training has no incumbent
    # better by more than the noise, or the shipped policy breaks a limit: the retrain moves
    far = [((*limits, 0.505), gentler), ((*limits, 0.505 - 2 * F1_TIE), shipped)]
    assert pick_policy(far, shipped) is gentler
    assert pick_policy([((*limits, 0.505), gentler), ((1.0, 0.0, 0.0, 0.51), shipped)], shipped) is gentler


def test_within_noise_the_fewest_changes_to_the_rules_output_win_over_the_thresholds_order():
    from detente.events.training import F1_TIE, pick_policy

    limits = (1.0, 1.0, 0.0)
    drops_many = Policy(drop=1.01, keep=0.2)  # first in the thresholds' order, but drops more proposals
    drops_few = Policy(drop=0.8, keep=0.0)
    scored = [((*limits, 0.505), drops_many), ((*limits, 0.505 - F1_TIE / 2), drops_few)]
    changed = {drops_many.keep: 40, drops_few.keep: 25}
    assert pick_policy(scored, changes=lambda p: changed[p.keep]) is drops_few
    assert pick_policy(scored) is drops_many  # no counts: the thresholds' order


def test_changes_to_the_rules_count_drops_retypes_and_additions():
    from types import SimpleNamespace

    from detente.events.model import NO_EVENT, Scored
    from detente.events.training import changes_to_rules

    def rule(event_type):
        return SimpleNamespace(event_type=event_type, confidence=0.7, source=(), target=())

    def probs(**p):
        return {NO_EVENT: 0.0, "CONSULT": 0.0, "ASSAULT": 0.0} | p

    def word(i):  # words of separate phrases
        return SimpleNamespace(i=i, head=SimpleNamespace(i=100 + i), dep_="ROOT")

    items = [
        Scored(word(0), probs(CONSULT=0.9), rule("CONSULT")),  # kept: no change
        Scored(word(1), probs(**{NO_EVENT: 0.95}, CONSULT=0.05), rule("CONSULT")),  # dropped
        Scored(word(2), probs(ASSAULT=0.95, CONSULT=0.05), rule("CONSULT")),  # retyped
        Scored(word(3), probs(ASSAULT=0.7), None),  # added
        Scored(word(4), probs(**{NO_EVENT: 0.8}, ASSAULT=0.2), None),  # not added
    ]
    held = [SimpleNamespace(scored=[(None, items)])]
    assert changes_to_rules(held, Policy(drop=0.8, keep=0.0, override=0.9, add=0.65)) == 3


def test_an_incumbent_outside_the_grid_is_scored_and_kept_within_noise(monkeypatch):
    from types import SimpleNamespace

    from detente.events import training

    off_grid = Policy(drop=0.7, keep=0.05)  # a policy an older grid offered
    best = Policy(drop=1.01, keep=0.2)
    f1 = {best.drop: 0.505, off_grid.drop: 0.505 - training.F1_TIE / 2}
    monkeypatch.setattr(training, "policy_grid", lambda: [best])
    monkeypatch.setattr(training, "outcomes", lambda held, policy: [policy])
    monkeypatch.setattr(training, "Report", lambda items: items[0])
    monkeypatch.setattr(training, "objective", lambda policy, dev, margin: (1.0, 1.0, 0.0, f1[policy.drop]))
    monkeypatch.setattr(training, "changes_to_rules", lambda held, policy: 0)
    held = [SimpleNamespace(parsed=SimpleNamespace(is_news=True, is_dev_gold=False))]
    assert training.choose_policy(held, off_grid).as_dict() == off_grid.as_dict()
    assert training.choose_policy(held).as_dict() == best.as_dict()


def test_the_shipped_policy_is_read_from_the_model_directory(tmp_path):
    import json

    from detente.events.training import shipped_policy

    assert shipped_policy(tmp_path) is None
    (tmp_path / "model.json").write_text(json.dumps({"policy": Policy(drop=0.65, keep=0.1).as_dict()}))
    assert shipped_policy(tmp_path).as_dict() == Policy(drop=0.65, keep=0.1).as_dict()


def test_a_candidate_in_the_first_sentence_reads_as_a_lede(parser):
    from detente.events.features import sentence_views, trigger_features
    from detente.events.lexicon import load_lexicon

    doc = parser("Kenya expelled two diplomats on Monday. Officials expelled nobody else later.")
    lexicon = load_lexicon()
    first, second = sentence_views(doc, [], set())
    assert "lede" in trigger_features(doc[1], first, lexicon)
    assert "lede" not in trigger_features(
        next(t for t in second.sent if t.lemma_ == "expel"), second, lexicon
    )


def test_coordinated_mentions_play_one_role(parser, monkeypatch):
    """ "will visit India and the Philippines": the role model scores each mention alone; the members of a
    coordination take the role their summed probabilities give, so the second is not split off."""
    from detente.events import model as model_module
    from detente.events.features import sentence_views
    from detente.records import ActorRef as Ref

    text = "Japan's prime minister will visit India and the Philippines in April."
    doc = parser(text)
    refs = [Ref(name, text.index(name), text.index(name) + len(name), name.lower(), name, code)
            for name, code in (("Japan", "JPN"), ("India", "IND"), ("Philippines", "PHL"))]  # fmt: skip
    doc._.actors = refs
    [view] = sentence_views(doc, [], set())
    visit = next(t for t in doc if t.lower_ == "visit")
    scores = {"Japan": {"source": 0.9, "target": 0.05, "none": 0.05},
              "India": {"source": 0.1, "target": 0.8, "none": 0.1},
              "Philippines": {"source": 0.5, "target": 0.4, "none": 0.1}}  # fmt: skip

    class Roles:  # the role model's answers per mention, as a trained one might give them
        def probabilities(self, features):
            return scores[features]

    monkeypatch.setattr(
        model_module, "role_features", lambda token, mention, view, event_type: mention.ref.text
    )
    coder = model_module.EventModel.__new__(model_module.EventModel)
    coder.roles = Roles()
    sources, targets = coder.roles_of(visit, "CONSULT", view)
    assert [r.country for r in sources] == ["JPN"]
    assert [r.country for r in targets] == ["IND", "PHL"]


def test_the_role_model_guesses_no_doer_the_text_leaves_unsaid(parser, monkeypatch):
    """ "thanked his supporters after being freed": the rules leave the release's source empty (an agentless
    passive); filling empty roles from the role model must not put the supporters there."""
    from detente.events import model as model_module
    from detente.events.calibration import Calibration
    from detente.events.features import sentence_views
    from detente.events.rules import extract_events
    from detente.records import ActorRef as Ref
    from detente.records import Article

    text = "Vietnamese blogger Pham Doan Trang thanked her supporters on Monday after being released from prison."
    doc = parser(text)
    names = (("Vietnamese blogger Pham Doan Trang", "VNM"), ("her supporters", "VNM"))
    doc._.actors = [Ref(n, text.index(n), text.index(n) + len(n), n.lower(), n, c) for n, c in names]
    doc._.article = Article(id="x", text=text)
    doc._.claims = []
    from detente.events.lexicon import load_lexicon

    [rule] = [e for e in extract_events(doc, load_lexicon()) if e.trigger.text == "released"]
    assert not rule.source
    [view] = sentence_views(doc, [rule], set())
    token = next(t for t in doc if t.text == "released")
    coder = model_module.EventModel.__new__(model_module.EventModel)
    coder.lexicon = load_lexicon()
    coder.background = None  # (no background model: the cue rule alone)
    coder.calibration = Calibration()  # (no weights: the confidence is the probability)
    supporters = doc._.actors[1]
    monkeypatch.setattr(coder, "_learned_roles", lambda *args: ([supporters], []), raising=False)
    event = coder._event(
        model_module.Choice(token, "RETREAT", 0.9, rule), view, "x", [], None, fill_roles=True
    )
    assert not event.source and [r.country for r in event.target] == ["VNM"]


def test_a_coordination_whose_first_member_sits_in_a_longer_mention(parser):
    from detente.events.features import sentence_views
    from detente.events.model import coordinations
    from detente.records import ActorRef as Ref

    text = "The talks bring together ministers from Britain, Canada and France."
    doc = parser(text)
    names = (("ministers from Britain", "GBR"), ("Canada", "CAN"), ("France", "FRA"))
    doc._.actors = [Ref(n, text.index(n), text.index(n) + len(n), n.lower(), n, c) for n, c in names]
    [view] = sentence_views(doc, [], set())
    groups = coordinations(view.mentions)
    assert {len(groups[id(m)]) for m in view.mentions} == {3}


# -- one event, several mentions ---------------------------------------------------------------------------------


def test_repeat_mentions_join_the_event_they_repeat_through_every_link():
    from detente.events.training import GoldEvent, Sentence, gold_occurrences

    def gold(event_type: str, at: int, repeat_of: str | None = None) -> GoldEvent:
        return GoldEvent(event_type, (at, at + 3), frozenset(), frozenset(), (), (), repeat_of=repeat_of)

    ban, meeting = gold("REJECT", 0), gold("CONSULT", 10)
    ban_again = gold("REJECT", 40, repeat_of="s0")  # joins the REJECT of s0, not its first event
    ban_third = gold("REJECT", 80, repeat_of="s1")  # through s1's repeat, the same ban
    another_ban = gold("REJECT", 120)  # no link: an event of its own
    dangling = gold("ASSAULT", 160, repeat_of="s9")  # a sentence the story lacks: no link, no error
    sentences = [Sentence("s0", 0, 30, [meeting, ban]), Sentence("s1", 30, 70, [ban_again]),
                 Sentence("s2", 70, 110, [ban_third]), Sentence("s3", 110, 200, [another_ban, dangling])]  # fmt: skip
    occurrence = gold_occurrences(sentences)
    assert occurrence[id(ban)] == occurrence[id(ban_again)] == occurrence[id(ban_third)]
    assert len({occurrence[id(g)] for g in (ban, meeting, another_ban, dangling)}) == 4


def test_pair_agreement_counts_the_coders_same_event_against_the_annotators():
    from detente.events.training import pair_agreement

    # (annotator: one event, coder: one event)
    scores = pair_agreement([(True, True), (True, False), (False, True), (False, True), (False, False)])
    assert scores == {"pairs": 5, "gold_same": 2, "coder_same": 3, "both": 1, "precision": round(1 / 3, 3),
                      "recall": 0.5}  # fmt: skip
    assert pair_agreement([])["precision"] == 0.0


def test_a_gold_trigger_phrase_is_labelled_at_the_word_the_rules_proposed_its_type():
    # "does not want to meet": labelled at the head ("want"), the rules' REJECT at "meet" was only an ignored
    # second word and the model never learned to keep it; the rules' word carries the label when its type is
    # the gold's, else the head does.
    from types import SimpleNamespace

    import spacy
    from spacy.tokens import Doc

    from detente.events.training import GoldEvent, _anchor

    words = ["He", "does", "not", "want", "to", "meet", "her", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=[3, 3, 3, 3, 5, 3, 5, 3],
              deps=["nsubj", "aux", "neg", "ROOT", "aux", "xcomp", "dobj", "punct"])  # fmt: skip
    start = doc[1].idx
    gold = GoldEvent("REJECT", (start, doc[5].idx + len("meet")), frozenset(), frozenset(), (), ())
    eligible = {3, 5}
    assert _anchor(doc, gold, eligible).text == "want"
    assert _anchor(doc, gold, eligible, {5: SimpleNamespace(event_type="REJECT")}).text == "meet"
    assert _anchor(doc, gold, eligible, {5: SimpleNamespace(event_type="CONSULT")}).text == "want"


@pytest.mark.parametrize(("text", "trigger", "mutual"), [
    ("India and Pakistan accused each other of violating the truce.", "accused", True),
    ("The two armies fired on one another across the border.", "fired", True),
    ("India and Pakistan accused China of violating the truce.", "accused", False),
    ("India and Pakistan accused the rebels, each other's allies, of the attack.", "accused", False),
])  # fmt: skip
def test_an_act_done_to_each_other_is_reciprocal_of_any_type(parser, text, trigger, mutual):
    from detente.events.model import _reciprocal

    doc = parser(text)
    token = next(t for t in doc if t.text == trigger)
    india = ActorRef("India", 0, 5, "country:IND", "India", "IND", None, "country")
    pakistan = ActorRef("Pakistan", 10, 18, "country:PAK", "Pakistan", "PAK", None, "country")
    assert _reciprocal("ACCUSE", [india, pakistan], [], token) is mutual
    assert not _reciprocal("ACCUSE", [india], [], token)  # one party is no exchange


def test_reliability_counts_an_event_right_only_with_its_countries_right():
    from detente.events.training import GoldEvent, Outcome, Report

    span = Span("x", 0, 1)
    refs = {code: ActorRef(code, 0, 3, f"c:{code}", code, code) for code in ("EGY", "LBY", "TUR")}

    def predicted(target: str) -> Event:
        return Event("e", "a", "ASSAULT", None, (), "material_conflict", -5.0, "asserted",
                     (refs["EGY"],), (refs[target],), span, span, confidence=0.85)  # fmt: skip

    gold = GoldEvent("ASSAULT", (0, 1), frozenset({"EGY"}), frozenset({"LBY"}), ((0, 1),), ((2, 3),))
    items = [
        Outcome("s", "s1", predicted("LBY"), gold, True),  # wholly right
        Outcome("s", "s2", predicted("TUR"), gold, True),  # the right event with the wrong recipient
        Outcome("s", "s3", predicted("LBY"), None, True),  # no event
    ]
    [row] = Report(items).reliability()
    assert (row["bin"], row["events"], row["share_right"], row["share_matched"]) == (
        "0.8-0.9",
        3,
        0.333,
        0.667,
    )
    [point] = Report(items).operating_points((0.8,))
    assert point["precision"] == 0.667 and point["wholly_right"] == 0.333


def test_the_shipped_policy_keeps_the_dev_gold_limit_within_a_band_a_new_one_does_not():
    """One dev sentence read differently by one fold's model (0.816 against the 0.82 the choice asks for)
    must not move a retrain off the shipped policy; a policy not shipped still needs the full margin."""
    from detente.events.training import DEV_GOLD_MARGIN, DEV_GOLD_TIE, MIN_DEV_GOLD, Report, objective

    wobble = {"type_accuracy": 0.816, "macro_f1": 0.826}
    assert MIN_DEV_GOLD + DEV_GOLD_MARGIN - DEV_GOLD_TIE <= 0.816 < MIN_DEV_GOLD + DEV_GOLD_MARGIN
    assert objective(Report([]), wobble)[1] == 0.0
    assert objective(Report([]), wobble, DEV_GOLD_MARGIN - DEV_GOLD_TIE)[1] == 1.0
    under = {"type_accuracy": 0.805, "macro_f1": 0.826}  # more than a wobble: the shipped policy moves too
    assert objective(Report([]), under, DEV_GOLD_MARGIN - DEV_GOLD_TIE)[1] == 0.0
