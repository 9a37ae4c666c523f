"""Forward chaining with proofs: built-in RDFS/OWL-RL rules, user rules, defaults with exceptions,
three-valued queries (see ``reasoner.py``). Importing this package is cheap (no models)."""

from __future__ import annotations

from kgreason.core import Atom, Conflict, Proof, Rule, Truth, Var, Verdict
from kgreason.reasoning.proof import check_proof
from kgreason.reasoning.reasoner import Reasoner
from kgreason.reasoning.rule_parser import parse_rules, parse_rules_file

__all__ = [
    "Atom",
    "Conflict",
    "Proof",
    "Reasoner",
    "Rule",
    "Truth",
    "Var",
    "Verdict",
    "check_proof",
    "parse_rules",
    "parse_rules_file",
]
