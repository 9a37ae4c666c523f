"""Components in (issue 26): a pipeline built from parts handed in, not by reaching inside."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from kgreason.config import PipelineConfig, RetrievalConfig
from kgreason.core import Evidence, Judgement
from kgreason.core.components import FunctionVerifier, Verifier, as_verifier
from kgreason.pipeline import Pipeline

GEO = str(Path(__file__).parent / "data" / "geography.ttl")


class Shelf:
    """A retriever of one's own: the same facts whatever the question."""

    def __init__(self, *texts: str):
        self.texts = texts

    def retrieve(self, question: str, k: int = 5):
        return [Evidence(t, (URIRef("x:s"), URIRef("x:p"), URIRef("x:o")), 1.0) for t in self.texts][:k]


def test_a_plain_function_is_the_verifier_and_sees_the_retrieved_facts():
    seen = []

    def verifier(facts, statement):
        seen.append((facts, statement))
        return "entailment" if any("Europe" in f for f in facts) else "neutral"

    pipe = Pipeline(graphs=[GEO], mode="neural", verifier=verifier,
                    retriever=Shelf("Paris is in France. France is in Europe."))
    answer = pipe.ask("Is Paris in Europe?")
    assert answer.answer == "yes" and answer.decision.decided_by == "verifier"
    assert seen == [(["Paris is in France. France is in Europe."], "Paris is in Europe.")]
    unsure = Pipeline(graphs=[GEO], mode="neural", verifier=verifier, retriever=Shelf("Paris is a city."))
    assert unsure.ask("Is Paris in Europe?").answer == "unknown"


def test_function_verifiers_speak_every_label_vocabulary():
    assert FunctionVerifier(lambda f, s: "no").verify([], "x").label == "contradiction"
    j = FunctionVerifier(lambda f, s: ("true", 0.8)).verify([], "x")
    assert j.label == "entailment" and j.confidence == pytest.approx(0.8)
    with pytest.raises(ValueError, match="returned 'maybe'"):
        FunctionVerifier(lambda f, s: "maybe").verify([], "x")
    mine = type("Mine", (), {"verify": lambda self, facts, s: Judgement("neutral", {"neutral": 1.0})})()
    assert as_verifier(mine) is mine and isinstance(mine, Verifier)
    with pytest.raises(TypeError, match="verify"):
        as_verifier(42)


def test_a_reasoner_handed_in_is_used_and_the_callers_config_is_left_alone():
    from kgreason.reasoning import load_reasoner

    reasoner = load_reasoner([GEO])
    config = PipelineConfig(mode="hybrid", retrieval=RetrievalConfig(enabled=False, rank_candidates=False))
    pipe = Pipeline(config, reasoner=reasoner, mode="symbolic")
    assert pipe.reasoner is reasoner and pipe.kg is reasoner.kg
    assert pipe.ask("Is Paris in Europe?").answer == "yes"
    assert pipe.config.mode == "symbolic" and config.mode == "hybrid"  # the caller's, untouched
