"""Forward chaining with proofs: built-in RDFS/OWL-RL rules, user rules, defaults with exceptions,
three-valued queries (see ``reasoner.py``). Importing this package is cheap (no models)."""

from __future__ import annotations

from kgreason.core import Atom, Conflict, Proof, Rule, Truth, Var, Verdict
from kgreason.reasoning.export import materialized_graph
from kgreason.reasoning.loading import (
    attach_sidecar_rules,
    load_graph_with_rules,
    load_reasoner,
    sidecar_rules,
)
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
    "attach_sidecar_rules",
    "check_proof",
    "load_graph_with_rules",
    "load_reasoner",
    "materialized_graph",
    "parse_rules",
    "parse_rules_file",
    "sidecar_rules",
]
