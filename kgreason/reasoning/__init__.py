"""Forward chaining with proofs: built-in RDFS/OWL-RL rules, user rules, defaults with exceptions,
three-valued queries (see ``reasoner.py``). Importing this package is cheap (no models)."""

from __future__ import annotations

from kgreason.core import Atom, Conflict, Proof, Rule, Truth, Var, Verdict
from kgreason.reasoning.clashes import inconsistencies
from kgreason.reasoning.export import materialized_graph, write_ntriples
from kgreason.reasoning.loading import (
    attach_sidecar_rules,
    load_graph_cached,
    load_graph_with_rules,
    load_reasoner,
    sidecar_rules,
)
from kgreason.reasoning.owl_rules import rules_table as owl_rules_table
from kgreason.reasoning.proof import check_proof
from kgreason.reasoning.reasoner import STRATEGIES, Reasoner
from kgreason.reasoning.rule_parser import parse_rules, parse_rules_file

__all__ = [
    "STRATEGIES",
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
    "inconsistencies",
    "load_graph_cached",
    "load_graph_with_rules",
    "load_reasoner",
    "materialized_graph",
    "owl_rules_table",
    "parse_rules",
    "parse_rules_file",
    "sidecar_rules",
    "write_ntriples",
]
