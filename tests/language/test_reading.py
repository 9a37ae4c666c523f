"""Nothing read silently: the fast path refuses fillers and variant names, the second path's
proposals are confirmed (parse, no variant after alignment, NLI round trip) or reported with
their line, and alignment links mentions to the symbols a theory already has."""

from __future__ import annotations

from rdflib import RDF, Namespace

from kgreason.core import CONFIRMED, EXACT, NOT_UNDERSTOOD, reading_counts
from kgreason.language.alignment import Vocabulary, key
from kgreason.language.english_graph import SecondPath, parse_theory, use_second_path
from kgreason.language.fillers import first_filler, is_filler

EX = Namespace("https://w3id.org/kgreason/entity#")


def _locals(kg) -> set[str]:
    return {str(n).rsplit("#", 1)[-1] for t in kg.rdf for n in t}


def _status(kg) -> list[tuple[int, str]]:
    return [(r.line, r.status) for r in kg.readings]


def _given(proposals: dict[str, str], entailment: float | dict[str, float] = 0.9) -> SecondPath:
    """A second path from given proposals (sentence → controlled text) and NLI probabilities."""

    def entails(pairs):
        if isinstance(entailment, dict):
            return [entailment[reading] for _, reading in pairs]
        return [entailment] * len(pairs)

    return SecondPath(lambda sentences: [(proposals.get(s, ""), 0.9) for s in sentences], entails, 0.5)


# ---------------------------------------------------------------- fast path: no minted fillers
def test_fast_path_does_not_mint_symbols_from_fillers():
    text = ("Bob is young.\nPeople who are young are also blue.\nBob seems to be round.\n"
            "That guy Fred sure is nice.\nRound people are blue.")
    kg = parse_theory(text)
    assert _status(kg) == [(1, EXACT), (2, NOT_UNDERSTOOD), (3, NOT_UNDERSTOOD), (4, NOT_UNDERSTOOD),
                           (5, EXACT)]
    names = _locals(kg)
    assert not {"AlsoBlue", "seemsTo", "BeRound", "ThatGuys", "ThatGuyFred", "That"} & names
    assert [issue.split(":")[1] for issue in kg.issues] == ["2", "3", "4"]
    assert "'also'" in kg.issues[0] and "'seem'" in kg.issues[1]


def test_fast_path_refuses_variant_names_of_the_theory():
    kg = parse_theory("Dave is kind.\nBig Dave is round.\nSomeone who is kind is rough around the edges.\n"
                      "Kind people are rough.")
    assert _status(kg) == [(1, EXACT), (2, NOT_UNDERSTOOD), (3, NOT_UNDERSTOOD), (4, EXACT)]
    assert "BigDave" not in _locals(kg) and "isRoughAround" not in _locals(kg)
    assert "beside 'rough'" in kg.issues[1]


def test_templated_text_reads_exactly_as_before():
    text = ("The bald eagle chases the cat. The cat is not big. If something chases the cat then it is "
            "red. All red things are rough. Every wumpus is a yumpus. Birds can fly. The hand is part of "
            "the body. Fiona is a nice, kind person.")
    kg = parse_theory(text)
    assert not kg.issues and reading_counts(kg.readings) == {EXACT: 8, CONFIRMED: 0, NOT_UNDERSTOOD: 0}
    assert (EX.Fiona, RDF.type, EX.Person) in kg.rdf and (EX.TheHand, EX.isPartOf, EX.TheBody) in kg.rdf


def test_fillers():
    assert all(is_filler(w) for w in ("also", "usually", "seems", "that", "been", "he's"))
    assert not any(is_filler(w) for w in ("round", "fast", "kind", "blue", "eagle", "around"))
    assert first_filler(("also", "blue")) == "also" and first_filler(("bald", "eagle")) is None


# ---------------------------------------------------------------- confirmation of proposals
def test_confirmed_proposal_is_read_with_its_confidence():
    sentence = "Harry, who is nice, is also quite cold."
    kg = parse_theory(f"Harry is big.\n{sentence}",
                      second_path=_given({sentence: "Harry is nice. Harry is cold."}, 0.8))
    assert _status(kg) == [(1, EXACT), (2, CONFIRMED)]
    reading = kg.readings[1]
    assert reading.text == "Harry is nice. Harry is cold." and reading.confidence == round(0.9 * 0.8, 4)
    assert {(EX.Harry, RDF.type, EX.Nice), (EX.Harry, RDF.type, EX.Cold)} <= set(kg.rdf)
    assert not kg.issues and reading.to_json()["read_as"] == "Harry is nice. Harry is cold."


def test_proposal_that_does_not_parse_is_not_understood():
    sentence = "Harry tends to be blue."
    kg = parse_theory(f"Harry is big.\n{sentence}",
                      second_path=_given({sentence: "Harry tends to be blue, maybe."}))
    assert _status(kg) == [(1, EXACT), (2, NOT_UNDERSTOOD)]
    assert "does not parse" in kg.issues[0] and kg.issues[0].startswith("<text>:2: Harry tends")
    assert "Blue" not in _locals(kg)


def test_proposal_with_a_variant_name_is_not_understood():
    sentence = "Big Dave is a round man."
    kg = parse_theory(f"Dave is kind.\n{sentence}",
                      second_path=_given({sentence: "Dave Junior is round."}))
    assert _status(kg) == [(1, EXACT), (2, NOT_UNDERSTOOD)]
    assert "variant" in kg.issues[0] and "DaveJunior" not in _locals(kg)


def test_proposal_not_entailed_by_the_sentence_is_not_understood():
    sentence = "Gary is not only red but green."
    wrong, right = "Gary is red.", "Gary is red. Gary is green."
    path = _given({sentence: wrong}, {wrong: 0.2, right: 0.95})
    kg = parse_theory(f"Gary is big.\n{sentence}", second_path=path)
    assert _status(kg) == [(1, EXACT), (2, NOT_UNDERSTOOD)]
    assert "not entailed" in kg.issues[0] and "Red" not in _locals(kg)
    assert kg.readings[1].text == wrong  # the refused proposal is kept in the report
    kg = parse_theory(f"Gary is big.\n{sentence}", second_path=_given({sentence: right}, {right: 0.95}))
    assert _status(kg) == [(1, EXACT), (2, CONFIRMED)]


def test_second_path_through_the_context():
    sentence = "Anne sure is nice."
    with use_second_path(_given({sentence: "Anne is nice."})):
        kg = parse_theory(sentence)
    assert _status(kg) == [(1, CONFIRMED)]
    assert _status(parse_theory(sentence)) == [(1, NOT_UNDERSTOOD)]  # outside the block: fast path


# ---------------------------------------------------------------- alignment
def test_alignment_links_mentions_to_existing_symbols():
    proposals = {"That guy Fred sure is nice.": "The guy Fred is nice.",
                 "Anne sure is able to fly.": "Anne is able to fly."}
    kg = parse_theory("Birds can fly. Fred is a bird.\nThat guy Fred sure is nice.\n"
                      "Anne sure is able to fly.", second_path=_given(proposals))
    assert _status(kg) == [(1, EXACT), (1, EXACT), (2, CONFIRMED), (3, CONFIRMED)]
    assert (EX.Fred, RDF.type, EX.Nice) in kg.rdf and (EX.Anne, EX.can, EX.Fly) in kg.rdf
    assert not {"TheGuyFred", "isAbleTo"} & _locals(kg)


def test_alignment_with_an_injected_similarity():
    table = {("chilly", "cold"): 0.91}

    def similarity(a, b):
        return [[table.get((x, y), 0.1) for y in b] for x in a]

    sentence = "Bob sure is chilly."
    path = SecondPath(lambda s: [("Bob is chilly.", 0.9)], lambda p: [0.9], 0.5, similarity)
    kg = parse_theory(f"Bob is cold.\nAnne is big.\n{sentence}", second_path=path)
    assert _status(kg)[-1] == (3, CONFIRMED)
    assert "Chilly" not in _locals(kg) and (EX.Bob, RDF.type, EX.Cold) in kg.rdf


def test_vocabulary_keys_and_variants():
    assert key(("that", "guy", "Fred")) == ("fred",) and key(("the", "dogs"), "the") == ("dog",)
    assert key(("rough", "around"), "relation") == ("rough",) and key(("able", "to"), "relation") == ("can",)
    vocab = Vocabulary()
    vocab.add(EX.Dave, "name", ("Dave",))
    vocab.add(EX.Round, "attribute", ("round",))
    vocab.add(EX.PolarBear, "class", ("polar", "bear"))
    assert vocab.variant(EX.BigDave, "name", ("Big", "Dave")) == EX.Dave
    assert vocab.variant(EX.isRoundIn, "relation", ("round", "in")) == EX.Round
    assert vocab.variant(EX.Bear, "class", ("bear",)) is None  # a class compound is no variant
    assert vocab.link("the", ("that", "guy", "Dave")) == EX.Dave


# ---------------------------------------------------------------- an incomplete theory: the closed world is a promise
def test_closed_world_no_over_an_incomplete_reading_is_withheld_where_it_may_matter():
    """Policy (README "How an answer is decided", issue 22): a closed-world "no" rests on the
    absence of a fact, so it stands only when every sentence that could state that fact was read.
    "Bob sure is quite red." was not read and talks about red: "Is Bob red?" is not the reasoner's
    to answer "no"; "Is Bob big?" is (it was said, and nothing unread can take it back)."""
    from kgreason.pipeline.theory import TheoryCache, decide_statement

    cache = TheoryCache()
    partial = cache.read("Bob is big.\nBob sure is quite red.", closed_world=True)
    assert not partial.complete and partial.reading_counts()[NOT_UNDERSTOOD] == 1
    decision = decide_statement(partial, "Bob is red.", closed_world=True)
    assert (decision.answer, decision.decided_by) == ("unknown", "none")
    assert "Bob sure is quite red." in decision.reason
    assert not decision.complete
    full = cache.read("Bob is big.", closed_world=True)
    decision = decide_statement(full, "Bob is red.", closed_world=True)
    assert (decision.answer, decision.decided_by) == ("no", "reasoner") and decision.complete
    assert decide_statement(partial, "Bob is big.", closed_world=True).decided_by == "reasoner"


def test_readings_that_invent_or_leave_out_words_are_refused():
    proposals = {"Alan feels blue about his round shape.": "Alan is blue.",
                 "The hulk sure is filled with red rage.": "The hulk is angry.",
                 "Dave, being green with envy, is round.": "Dave is green. Dave is round."}
    kg = parse_theory("Bob is round.\nAlan feels blue about his round shape.\n"
                      "The hulk sure is filled with red rage.\nDave, being green with envy, is round.",
                      second_path=_given(proposals))
    assert _status(kg) == [(1, EXACT), (2, NOT_UNDERSTOOD), (3, NOT_UNDERSTOOD), (4, CONFIRMED)]
    assert "leaves out 'round'" in kg.issues[0] and "names 'angry'" in kg.issues[1]


def test_readings_that_change_negation_or_drop_a_disjunction_are_refused():
    proposals = {"Harry is not only red but green.": "Harry is not red. Harry is green.",
                 "If someone is round they could be red or blue.":
                     "If someone is round then they are red. If someone is round then they are blue.",
                 "Gary sure is not green.": "Gary is green.",
                 "Anne is not only big but also red.": "Anne is big. Anne is red."}
    kg = parse_theory("Bob is blue.\nHarry is not only red but green.\n"
                      "If someone is round they could be red or blue.\nGary sure is not green.\n"
                      "Anne is not only big but also red.", second_path=_given(proposals))
    assert _status(kg) == [(1, EXACT), (2, NOT_UNDERSTOOD), (3, NOT_UNDERSTOOD), (4, NOT_UNDERSTOOD),
                           (5, CONFIRMED)]
    assert "negates what the sentence does not" in kg.issues[0]
    assert "disjunction" in kg.issues[1] and "negates something the reading does not" in kg.issues[2]


# ---------------------------------------------------------------- leading pronouns
def test_leading_pronouns_resolve_to_the_name_an_earlier_sentence_gave():
    from kgreason.language.coreference import first_name, resolve_leading_pronouns

    text = ["Dave is a red fellow who looks blue.", "He's often cold.", "Young Fred is nice.",
            "His skin is green.", "Her being kind helps.", "Round people are red.", "She is nice."]
    got = resolve_leading_pronouns(text)
    assert got[0] is None and got[2] is None and got[5] is None
    assert got[1] == ("Dave is often cold.", "he = Dave")
    assert got[3] == ("Fred's skin is green.", "his = Fred")
    assert got[4] == ("Fred being kind helps.", "her = Fred")  # not possessive: "being" follows
    # sentence 4 was resolved to Fred, so it names Fred for the pronouns after it
    assert got[6] == ("Fred is nice.", "she = Fred")
    far = resolve_leading_pronouns(["Fred is nice.", "Cats are red.", "Dogs are blue.", "Mice are grey.",
                                    "He is kind."])
    assert far[4] is None  # Fred is four sentences back: too far
    # a name that is also an English word counts when a verb follows; "Young", "Big" do not
    assert first_name("Bob is big.") == "Bob" and first_name("Big Harry, the bluest guy.") == "Harry"
    assert first_name("Kind people are happy.") is None
    assert resolve_leading_pronouns(["He is cold."]) == [None]  # nobody named before
    # a later pronoun in a sentence that names no one and is not generic
    later = resolve_leading_pronouns(["Dave is red.", "Right now he's feeling blue because his dog is sick.",
                                      "If a person is big, he is nice.", "Bob likes her hat."])
    assert later[1] == ("Right now Dave is feeling blue because his dog is sick.", "he = Dave")
    assert later[2] is None and later[3] is None  # generic ("a person"); names its own subject


def test_a_sentence_starting_with_a_pronoun_is_read_and_checked_with_the_name():
    seen: list[str] = []

    def propose(sentences):
        seen.extend(sentences)
        return [({"Dave is often cold.": "Dave is cold."}.get(s, ""), 0.9) for s in sentences]

    pairs: list[tuple[str, str]] = []

    def entails(batch):
        pairs.extend(batch)
        return [0.9] * len(batch)

    kg = parse_theory("Dave is red.\nHe's often cold.", second_path=SecondPath(propose, entails, 0.5))
    assert seen == ["Dave is often cold."] and pairs == [("Dave is often cold.", "Dave is cold.")]
    second = kg.readings[1]
    assert second.sentence == "He's often cold." and second.status == CONFIRMED
    assert second.text == "Dave is cold." and "he = Dave" in second.reason
    assert (EX.Dave, RDF.type, EX.Cold) in kg.rdf


def test_a_refused_first_reading_gets_its_alternatives_checked():
    """The first proposal leaves out a word of the theory (refused); the second alternative is the
    first that passes every check and becomes the reading; with no passing alternative the first
    refusal's reason is reported."""
    first = {"Alan feels blue about his round shape.": "Alan is blue.",
             "Alan feels green and purple.": "Alan is green."}
    options = {"Alan feels blue about his round shape.": [("Alan is blue.", 0.9), ("Alan is blue. Alan is fun.", 0.6),
                                                           ("Alan is blue. Alan is round.", 0.5)],
               "Alan feels green and purple.": [("Alan is green.", 0.9), ("Alan is angry.", 0.4)]}
    asked: list[list[str]] = []

    def alternatives(sentences):
        asked.append(list(sentences))
        return [options[s] for s in sentences]

    second = SecondPath(lambda ss: [(first.get(s, ""), 0.9) for s in ss], lambda pairs: [0.9] * len(pairs), 0.5,
                        alternatives=alternatives)
    kg = parse_theory("Bob is round. Bob is purple.\nAlan feels blue about his round shape.\n"
                      "Alan feels green and purple.", second_path=second)
    blue, green = kg.readings[2], kg.readings[3]
    assert asked == [["Alan feels blue about his round shape.", "Alan feels green and purple."]]
    assert blue.status == CONFIRMED and blue.text == "Alan is blue. Alan is round."
    assert "an alternative reading" in blue.reason and (EX.Alan, RDF.type, EX.Round) in kg.rdf
    assert green.status == NOT_UNDERSTOOD and "leaves out 'purple'" in green.reason
    assert (EX.Alan, RDF.type, EX.Green) not in kg.rdf
