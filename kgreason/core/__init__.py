"""Plain typed data every stage shares: terms and triples, rules, proofs, verdicts, hypotheses,
evidence and decisions. This package imports nothing else of kgreason (see docs/architecture.md).
"""

from kgreason.core.decision import (
    ANSWER_OF_LABEL,
    ANSWER_OF_TRUTH,
    LABEL_OF_ANSWER,
    NONE,
    PROVER,
    REASONER,
    VERIFIER,
    Decision,
    Judgement,
    Label,
)
from kgreason.core.evidence import Evidence
from kgreason.core.hypothesis import Candidate, Hypothesis
from kgreason.core.proof import ASSERTED, CWA, Proof
from kgreason.core.query import OPEN_KINDS, OpenItem, OpenQuestion, QueryReading, X
from kgreason.core.reading import (
    CONFIRMED,
    EXACT,
    NOT_UNDERSTOOD,
    Reading,
    reading_counts,
    unread_share,
)
from kgreason.core.rules import Atom, Rule, Term, Var
from kgreason.core.terms import Namer, Pattern, Triple, show, show_triple
from kgreason.core.verdict import Conflict, Truth, Verdict

__all__ = [
    "ANSWER_OF_LABEL",
    "ANSWER_OF_TRUTH",
    "ASSERTED",
    "CONFIRMED",
    "CWA",
    "EXACT",
    "LABEL_OF_ANSWER",
    "NONE",
    "NOT_UNDERSTOOD",
    "OPEN_KINDS",
    "PROVER",
    "REASONER",
    "VERIFIER",
    "Atom",
    "Candidate",
    "Conflict",
    "Decision",
    "Evidence",
    "Hypothesis",
    "Judgement",
    "Label",
    "Namer",
    "OpenItem",
    "OpenQuestion",
    "Pattern",
    "Proof",
    "QueryReading",
    "Reading",
    "Rule",
    "Term",
    "Triple",
    "Truth",
    "Var",
    "Verdict",
    "X",
    "reading_counts",
    "show",
    "show_triple",
    "unread_share",
]
