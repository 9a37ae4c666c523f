"""The built-in RDFS / OWL-RL rules (W3C ids) and the kgr: rules for negative facts (the rest of
the OWL 2 RL tables: ``owl_rules.py``, bound only for graphs that use that vocabulary; rules over
lists and literals are written out per graph there).

They are written in the rule syntax so that they are shown in proofs exactly as they run and
re-checked by :func:`~kgreason.reasoning.proof.check_proof` like any user rule. ``not`` in a
built-in rule always means an explicit negative fact (classical negation), in both modes.
Default inheritance (kgr:InheritableProperty) is not a Horn rule; it lives in ``defaults.py``
under the ids ``kgr-inherit`` / ``kgr-inherit-neg``.

No axiomatic triples (``rdf:type rdf:type rdf:Property`` ...) and no reflexive ``owl:sameAs``
are ever derived: ``distinct`` below lists variable pairs that must differ in a derivation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from kgreason.core.rules import Rule, Var
from kgreason.reasoning.datatypes import SUPPORTED
from kgreason.reasoning.rule_parser import parse_rules

BUILTIN_RULES_TEXT = """
@prefix npa: <http://www.w3.org/2002/07/owl#> .
# --- RDFS
[rdfs2]  ?x a ?c :- ?p rdfs:domain ?c, ?x ?p ?y .
[rdfs3]  ?y a ?c :- ?p rdfs:range ?c, ?x ?p ?y .
[rdfs5]  ?p rdfs:subPropertyOf ?r :- ?p rdfs:subPropertyOf ?q, ?q rdfs:subPropertyOf ?r .
[rdfs7]  ?x ?q ?y :- ?p rdfs:subPropertyOf ?q, ?x ?p ?y .
[rdfs9]  ?x a ?d :- ?c rdfs:subClassOf ?d, ?x a ?c .
[rdfs11] ?c rdfs:subClassOf ?e :- ?c rdfs:subClassOf ?d, ?d rdfs:subClassOf ?e .
# --- OWL 2 RL schema rules
[scm-eqc1] ?c rdfs:subClassOf ?d, ?d rdfs:subClassOf ?c :- ?c owl:equivalentClass ?d .
[scm-eqc2] ?c owl:equivalentClass ?d :- ?c rdfs:subClassOf ?d, ?d rdfs:subClassOf ?c .
[scm-eqp1] ?p rdfs:subPropertyOf ?q, ?q rdfs:subPropertyOf ?p :- ?p owl:equivalentProperty ?q .
[scm-eqp2] ?p owl:equivalentProperty ?q :- ?p rdfs:subPropertyOf ?q, ?q rdfs:subPropertyOf ?p .
[scm-dom1] ?p rdfs:domain ?d :- ?p rdfs:domain ?c, ?c rdfs:subClassOf ?d .
[scm-dom2] ?q rdfs:domain ?c :- ?q rdfs:subPropertyOf ?p, ?p rdfs:domain ?c .
[scm-rng1] ?p rdfs:range ?d :- ?p rdfs:range ?c, ?c rdfs:subClassOf ?d .
[scm-rng2] ?q rdfs:range ?c :- ?q rdfs:subPropertyOf ?p, ?p rdfs:range ?c .
# --- OWL 2 RL class and property axioms
[cax-eqc1] ?x a ?d :- ?c owl:equivalentClass ?d, ?x a ?c .
[cax-eqc2] ?x a ?c :- ?c owl:equivalentClass ?d, ?x a ?d .
[prp-eqp1] ?x ?q ?y :- ?p owl:equivalentProperty ?q, ?x ?p ?y .
[prp-eqp2] ?x ?p ?y :- ?p owl:equivalentProperty ?q, ?x ?q ?y .
[prp-trp]  ?x ?p ?z :- ?p a owl:TransitiveProperty, ?x ?p ?y, ?y ?p ?z .
[prp-symp] ?y ?p ?x :- ?p a owl:SymmetricProperty, ?x ?p ?y .
[prp-inv1] ?y ?q ?x :- ?p owl:inverseOf ?q, ?x ?p ?y .
[prp-inv2] ?y ?p ?x :- ?p owl:inverseOf ?q, ?x ?q ?y .
[prp-fp]   ?y1 owl:sameAs ?y2 :- ?p a owl:FunctionalProperty, ?x ?p ?y1, ?x ?p ?y2 .
[prp-ifp]  ?x1 owl:sameAs ?x2 :- ?p a owl:InverseFunctionalProperty, ?x1 ?p ?y, ?x2 ?p ?y .
# --- equality (no reflexive sameAs)
[eq-sym]   ?y owl:sameAs ?x :- ?x owl:sameAs ?y .
[eq-trans] ?x owl:sameAs ?z :- ?x owl:sameAs ?y, ?y owl:sameAs ?z .
[eq-rep-s] ?s2 ?p ?o :- ?s owl:sameAs ?s2, ?s ?p ?o .
[eq-rep-p] ?s ?p2 ?o :- ?p owl:sameAs ?p2, ?s ?p ?o .
[eq-rep-o] ?s ?p ?o2 :- ?o owl:sameAs ?o2, ?s ?p ?o .
# --- negative facts (classical negation)
[kgr-neg]  not ?x ?p ?y :- ?n kgr:negationOf ?p, ?x ?n ?y .
[prp-npa1] not ?x ?p ?y :- ?a owl:sourceIndividual ?x, ?a owl:assertionProperty ?p, ?a owl:targetIndividual ?y .
[prp-npa2] not ?x ?p ?y :- ?a owl:sourceIndividual ?x, ?a owl:assertionProperty ?p, ?a owl:targetValue ?y .
[kgr-dw-sym] ?d owl:disjointWith ?c :- ?c owl:disjointWith ?d .
[cax-dw]   not ?x a ?d :- ?c owl:disjointWith ?d, ?x a ?c .
[cax-dw2]  not ?x a ?c :- ?c owl:disjointWith ?d, ?x a ?d .
[kgr-neg-sc]   not ?x a ?c :- ?c rdfs:subClassOf ?d, not ?x a ?d .
[kgr-neg-sp]   not ?x ?p ?y :- ?p rdfs:subPropertyOf ?q, not ?x ?q ?y .
[kgr-neg-symp] not ?y ?p ?x :- ?p a owl:SymmetricProperty, not ?x ?p ?y .
[kgr-neg-inv1] not ?y ?q ?x :- ?p owl:inverseOf ?q, not ?x ?p ?y .
[kgr-neg-inv2] not ?y ?p ?x :- ?p owl:inverseOf ?q, not ?x ?q ?y .
"""

#: Rules tried only when ``holds`` finds neither polarity of the question in the closure (every
#: strategy): materialized they would be quadratic. Class-level clashes (WordNet: millions of
#: facts; a class is assumed non-empty, so a subclass of D is not a subclass of anything disjoint
#: from D), and kgr-neg-avf, the contrapositive of cls-avf (u has only y-values of p, v is not a
#: y, so u p v is false) — with the per-axiom max-0 rules (``owl_rules.py``) the strict negations
#: that win over a default blocked by the same axiom. And the reflexive / axiomatic triples of the
#: W3C tables (eq-ref, cls-thing, cls-nothing1, scm-cls, scm-op, scm-dp, prp-ap, dt-type1): true
#: when asked ("is C a subclass of C?"), never written into the closure.
QUERY_TIME_RULES_TEXT = """
[kgr-dw-sc]  not ?c rdfs:subClassOf ?e :- ?c owl:disjointWith ?e .
[kgr-dw-sc2] not ?c rdfs:subClassOf ?e :- ?c rdfs:subClassOf ?d, ?d owl:disjointWith ?e .
[kgr-dw-sc3] not ?c rdfs:subClassOf ?e :- ?c owl:disjointWith ?f, ?e rdfs:subClassOf ?f .
[kgr-dw-sc4] not ?c rdfs:subClassOf ?e :- ?c rdfs:subClassOf ?d, ?d owl:disjointWith ?f, ?e rdfs:subClassOf ?f .
[kgr-neg-avf] not ?u ?p ?v :- ?x owl:allValuesFrom ?y, ?x owl:onProperty ?p, ?u a ?x, not ?v a ?y .
# --- reflexive and axiomatic triples of the W3C tables: answered when asked, never materialized
[eq-ref]   ?s owl:sameAs ?s :- ?s ?p ?o .
[eq-ref-p] ?p owl:sameAs ?p :- ?s ?p ?o .
[eq-ref-o] ?o owl:sameAs ?o :- ?s ?p ?o .
[cls-thing] owl:Thing a owl:Class .
[cls-nothing1] owl:Nothing a owl:Class .
[scm-cls]  ?c rdfs:subClassOf ?c, ?c owl:equivalentClass ?c, ?c rdfs:subClassOf owl:Thing, owl:Nothing rdfs:subClassOf ?c :- ?c a owl:Class .
[scm-op]   ?p rdfs:subPropertyOf ?p, ?p owl:equivalentProperty ?p :- ?p a owl:ObjectProperty .
[scm-dp]   ?p rdfs:subPropertyOf ?p, ?p owl:equivalentProperty ?p :- ?p a owl:DatatypeProperty .
[prp-ap]   rdfs:label a owl:AnnotationProperty, rdfs:comment a owl:AnnotationProperty, rdfs:seeAlso a owl:AnnotationProperty, rdfs:isDefinedBy a owl:AnnotationProperty, owl:deprecated a owl:AnnotationProperty, owl:versionInfo a owl:AnnotationProperty, owl:priorVersion a owl:AnnotationProperty, owl:backwardCompatibleWith a owl:AnnotationProperty, owl:incompatibleWith a owl:AnnotationProperty .
""" + "[dt-type1] " + ", ".join(f"<{dt}> a rdfs:Datatype" for dt in sorted(SUPPORTED)) + " .\n"

#: Variable pairs that must differ (keeps reflexive owl:sameAs out, as the W3C tests do).
DISTINCT: dict[str, tuple[tuple[str, str], ...]] = {
    "eq-trans": (("x", "z"),),
    "eq-sym": (("x", "y"),),
    "prp-fp": (("y1", "y2"),),
    "prp-ifp": (("x1", "x2"),),
    "eq-rep-s": (("s", "s2"),),
    "eq-rep-p": (("p", "p2"),),
    "eq-rep-o": (("o", "o2"),),
}

#: Ids of the default-inheritance steps (not Horn rules; see defaults.py).
INHERIT, INHERIT_NEG = "kgr-inherit", "kgr-inherit-neg"

DEFAULT_RULE_TEXT = {
    INHERIT: "a statement about a class holds for its subclasses and instances unless something "
    "more specific says otherwise (kgr:InheritableProperty)",
    INHERIT_NEG: "a negative statement about a class holds for its subclasses and instances unless "
    "something more specific says otherwise (kgr:InheritableProperty)",
}


@lru_cache(maxsize=1)
def query_time_rules() -> tuple[Rule, ...]:
    """Rules evaluated by ``holds`` on demand (never materialized); see QUERY_TIME_RULES_TEXT."""
    return tuple(replace(r, source="builtin", meta={"builtin": True, "query_time": True})
                 for r in parse_rules(QUERY_TIME_RULES_TEXT, source="<builtin>"))


@lru_cache(maxsize=1)
def builtin_rules() -> tuple[Rule, ...]:
    """The built-in rules, parsed once per process, with their ``distinct`` constraints."""
    return tuple(
        replace(rule, source="builtin", meta={"builtin": True, "distinct": tuple(
            (Var(a), Var(b)) for a, b in DISTINCT.get(rule.id, ()))})
        for rule in parse_rules(BUILTIN_RULES_TEXT, source="<builtin>"))


def unique_ids(rules: Iterable[Rule], reserved: Iterable[str]) -> list[Rule]:
    """``rules`` with each id that is ``reserved`` or already taken numbered (``id#2``, ``id#3``
    ...), so that a proof step names exactly one rule (the reasoner and the proof checker)."""
    seen = dict.fromkeys(reserved, 1)
    out = []
    for rule in rules:
        if rule.id in seen:
            seen[rule.id] += 1
            rule = replace(rule, id=f"{rule.id}#{seen[rule.id]}")
        else:
            seen[rule.id] = 1
        out.append(rule)
    return out
