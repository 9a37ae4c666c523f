"""Answer: what ``Pipeline.ask`` returns — the typed decision plus what the user sees around it
(the reading, the evidence, timings). ``to_json()`` is the JSON edge (``kgreason ask --json``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from rdflib import RDF, RDFS, URIRef

from kgreason.core import (
    REASONER,
    Candidate,
    Decision,
    Evidence,
    Hypothesis,
    OpenItem,
    QueryReading,
    X,
)
from kgreason.language.render import conflict_json, proof_json, proof_sentences
from kgreason.language.verbalize import sentence, verbalize
from kgreason.pipeline.decide import candidate_statement

if TYPE_CHECKING:
    import networkx as nx

    from kgreason.core import Proof
    from kgreason.graph.knowledge_graph import KnowledgeGraph


@dataclass
class Answer:
    question: str
    decision: Decision
    hypothesis: Hypothesis
    kg: KnowledgeGraph = field(repr=False)
    candidates: list[Candidate] = field(default_factory=list)  # ranked, as tried
    evidence: list[Evidence] = field(default_factory=list)
    explanation: dict | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    #: "yes_no", "why", "all", "any", or an open kind ("which", "what", "who", "how_many", "what_is")
    kind: str = "yes_no"
    #: the answers of an open question; the exceptions of an "all" question, the witnesses of "any"
    items: list[OpenItem] = field(default_factory=list)
    reading: QueryReading | None = None  # the pattern they answer
    #: a yes/no question the controlled grammar could not read, as the neural reader read it:
    #: {"text": the statement proposed, "confidence", "accepted": linked to the graph or not}
    read_as: dict[str, Any] | None = None
    #: why there is no evidence (a big graph without a retrieval index), else None
    evidence_note: str | None = None
    #: open questions: the number of answers; "how many": the count proved (a number the graph
    #: states, "spider has eight legs", or the answers counted), None when no count is proved
    count: int | None = None
    #: "How many *legs* ...": the words counted (empty when the answers themselves are counted)
    counted: tuple[str, ...] = ()
    #: a question over a first-order theory, decided by the prover: the theory's premises and
    #: :meth:`~kgreason.pipeline.first_order.FirstOrderResult.to_json` (proof steps in English,
    #: premises used, the countermodel of an unknown, the formulas read, what was not understood)
    first_order: dict[str, Any] | None = None

    @property
    def is_open(self) -> bool:
        return self.kind not in ("yes_no", "why", "all", "any")

    @property
    def is_quantified(self) -> bool:
        """"Do all birds fly?" (``items``: the exceptions) / "Does any mammal lay eggs?" (``items``:
        the witnesses)."""
        return self.kind in ("all", "any")

    # ---------------------------------------------------------------- views of the decision
    @property
    def answer(self) -> str:
        return self.decision.answer

    @property
    def decided_by(self) -> str:
        return self.decision.decided_by

    @property
    def confidence(self) -> float | None:
        return self.decision.confidence

    @property
    def statement(self) -> str:
        """The statement decided (the reading the reasoner decided, or what the verifier judged);
        for an open question its pattern with X for the unknown ("X cannot fly.")."""
        if self.is_open:
            if self.counted:  # "Spider has eight legs.", or the question when no count is proved
                if self.count is not None and self.items:
                    return proof_sentences(self.items[0].proofs[0], self.kg)[-1]
                return self.question
            if self.reading is None:
                return self.hypothesis.statement
            triple = tuple(_X_NODE if t is X else t for t in self.reading.triple)
            if triple[0] == _X_NODE and triple[1] == RDFS.subClassOf:  # kinds and members alike
                triple = (_X_NODE, RDF.type, triple[2])  # "X is fragile.", not "Xes are fragile."
            text = sentence(verbalize(self.kg, triple, negated=self.reading.negated))
            return re.sub(r"\bx\b", "X", text) if triple[2] == _X_NODE else text  # "Koala eats X."
        return self.decision.statement or self.hypothesis.statement

    def answers_json(self) -> list[dict[str, Any]]:
        out = []
        for item in self.items:
            steps = [background_sentences(p, self.kg) for p in item.proofs]
            out.append({"term": self.kg.qname(item.term), "label": self.kg.label(item.term),
                        "inferred": item.inferred,
                        "reason": " ".join(s[-1] for s in steps if s),  # what was proved of it
                        "proof": list(dict.fromkeys(x for s in steps for x in s))})
        return out

    def _quantified_json(self) -> dict[str, Any]:
        if self.kind == "all":
            return {"exceptions": self.answers_json()}
        if self.kind == "any":
            found = self.answers_json()
            return {"witness": found[0] if found else None, "witnesses": found}
        return {}

    @property
    def triple(self) -> list[str] | None:
        cand = self.decision.candidate
        return [self.kg.qname(x) for x in cand.triple] if cand is not None else None

    @property
    def negated(self) -> bool:
        cand = self.decision.candidate
        return bool(cand.negated) if cand is not None else False

    @cached_property
    def proof(self) -> list[str]:
        """The proof as sentences, premises first (empty without a proof); a first-order
        answer's numbered steps, each naming the premises it uses."""
        if self.first_order is not None:
            return list(self.first_order.get("proof") or [])
        proof = self.decision.proof
        return background_sentences(proof, self.kg) if proof is not None else []

    def proofs(self, answer: str | None = None) -> list[Proof]:
        """Every proof the answer shows: the decision's, or those of each open answer (of the
        one named ``answer`` — its ``term`` or ``label`` in :meth:`answers_json` — when given)."""
        if self.is_open:
            return [p for item in self.items if answer is None or self._names(item, answer)
                    for p in item.proofs]
        return [self.decision.proof] if self.decision.proof is not None else []

    def _names(self, item: OpenItem, answer: str) -> bool:
        return answer in (self.kg.qname(item.term), self.kg.label(item.term), str(item.term))

    def proof_graph(self, answer: str | None = None) -> nx.DiGraph:
        """The proofs as one graph, premises → rule → conclusion (empty without a proof); for an
        open question the proof of one ``answer`` (its term or label) when given, else of all;
        see :mod:`kgreason.language.proof_graph` for its export as GraphML or JSON."""
        from kgreason.errors import InputError
        from kgreason.language.proof_graph import proof_graph

        if answer is not None and self.is_open and not any(self._names(i, answer) for i in self.items):
            raise InputError(f"{answer!r} is not an answer of this question",
                             hint="name one of the answers' term or label (the answers of /ask)")
        return proof_graph(self.proofs(answer), self.kg)

    @cached_property
    def reason(self) -> str:
        """Why: the decision's reason; for the reasoner's unknown, what is missing in words
        ("nothing in the graph says whether a dog can swim") and the closest facts retrieved."""
        d = self.decision
        if (d.decided_by == REASONER and d.answer == "unknown" and not d.conflicts
                and self.kind not in ("all", "any")  # quantified answers say why themselves
                and d.verdict is not None and d.verdict.triple is not None):
            from kgreason.language.render import missing_text

            text = missing_text(self.kg, d.verdict.triple, d.verdict.missing, self.kg.rules)
            closest = self.closest_facts
            return text + (f". Closest facts: {'; '.join(closest)}" if closest else "")
        return d.reason

    @cached_property
    def closest_facts(self) -> list[str]:
        """For the reasoner's unknown: the retrieved facts nearest to the statement."""
        from kgreason.language.render import closest_facts

        d = self.decision
        if d.answer != "unknown" or d.verdict is None or d.verdict.triple is None:
            return []
        return closest_facts(d.verdict.triple, self.evidence)

    @cached_property
    def conflicts(self) -> list[dict[str, Any]]:
        return [conflict_json(c, self.kg) for c in self.decision.conflicts]

    # ---------------------------------------------------------------- JSON edge
    def ask_json(self) -> dict[str, Any]:
        """What ``kgreason ask --json`` prints and the server's ``/ask`` returns: :meth:`to_json`
        and the sentences of English graphs that were not understood (source:line, why)."""
        data = self.to_json()
        data["not_understood"] = [r.to_json() for r in self.kg.readings if not r.understood]
        if self.first_order is not None:  # the theory's sentences the grammar did not read
            premises = self.first_order["premises"]
            data["not_understood"] = [
                {**premises[u["premise"] - 1], "status": "not understood", "reason": u["why"]}
                for u in self.first_order.get("not_understood", []) if u["premise"] is not None]
        return data

    def to_json(self) -> dict[str, Any]:
        kg, d = self.kg, self.decision
        if self.is_open:
            return {
                "question": self.question,
                "kind": self.kind,
                "answer": None,
                "statement": self.statement,
                "answers": self.answers_json(),
                "count": self.count,
                "counted": " ".join(self.counted) or None,
                "reason": d.reason,
                "decided_by": d.decided_by,
                "evidence": [e.to_json(kg) for e in self.evidence],
                "evidence_note": self.evidence_note,
                "timings_ms": self.timings_ms,
            }
        return {
            "question": self.question,
            "kind": self.kind,
            "answer": d.answer,
            "hypothesis": self.statement,
            "statement": self.statement,
            "triple": self.triple,
            "negated": self.negated,
            "proof": self.proof,
            "proof_tree": proof_json(d.proof, kg) if d.proof is not None else None,
            "evidence": [e.to_json(kg) for e in self.evidence],
            "evidence_note": self.evidence_note,
            "reason": self.reason,
            "closest_facts": self.closest_facts,
            # the reasoner's own account of an unknown (rule ids, prefixed names)
            "missing": list(d.verdict.missing) if d.answer == "unknown" and d.verdict is not None else [],
            "decided_by": d.decided_by,
            "confidence": d.confidence,
            "complete": d.complete,
            "conflicts": self.conflicts,
            "candidates": [
                {**c.to_json(kg), "text": candidate_statement(c, kg)} for c in self.candidates
            ],
            "verifier": d.judgement.to_json() if d.judgement is not None else None,
            "read_as": self.read_as,
            **self._quantified_json(),
            "explanation": self.explanation,
            "first_order": self.first_order,
            "countermodel": (self.first_order or {}).get("countermodel", []),
            "timings_ms": self.timings_ms,
        }


def background_sentences(proof: Proof, kg: KnowledgeGraph) -> list[str]:
    """:func:`proof_sentences`, where a step that comes from WordNet (rule ``wordnet:<synset>``)
    says so, with its synsets: "Sun is a star (WordNet: sun.n.01 (sun) is an instance of
    star.n.01 (star))."."""
    sentences = proof_sentences(proof, kg)
    notes = {sentence(verbalize(kg, step.triple, negated=step.negated)): step.rule_text
             for step in proof.steps() if step.rule.startswith("wordnet:") and step.rule_text}
    return [f"{text.rstrip('.')} ({notes[text]})." if text in notes else text for text in sentences]


#: How the unknown of an open question is shown in its statement ("X cannot fly.").
_X_NODE = URIRef("urn:kgreason:query#X")
