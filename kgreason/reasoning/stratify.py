"""Stratification of negation as failure (closed-world mode).

Granularity: a node is a (predicate, object) pair — ``(ex:canBe, ex:EatenRaw)`` — or
``(predicate, *)`` when the object is a variable, so that the classic
``?x ex:canBe ex:EatenRaw :- ?x a ex:Fruit, not ?x ex:canBe ex:Poisonous .`` is stratifiable
(predicate-level stratification would reject it). A body atom depends on every head that can
produce a matching fact. Built-in rules add the dependencies the graph's own (asserted) schema
implies: sub-classes and equivalent classes, sub-/equivalent/inverse properties, domains and
ranges, negation properties, disjointness; ``owl:sameAs`` and variable predicates link through
the node ``ANY``. A ``not`` edge inside a cycle makes the rule set unstratifiable: we reject it
and name the cycle.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import OWL, RDF, RDFS

from kgreason.errors import RuleError
from kgreason.graph.vocab import KGR
from kgreason.reasoning.engine import CompiledRule, Store

ANY = ("ANY", None)
STAR = None


def _node(cr_K, atom) -> tuple:
    if atom.p[0] != "c":
        return ANY
    pred = cr_K[atom.p[1]]
    obj = cr_K[atom.o[1]] if atom.o[0] == "c" else STAR
    return (pred, obj)


def _matches(body: tuple, head: tuple) -> bool:
    if body == ANY or head == ANY:
        return True
    return body[0] == head[0] and (body[1] is STAR or head[1] is STAR or body[1] == head[1])


def _schema_rules(store: Store) -> list[tuple[tuple, tuple, str]]:
    """(body node, head node, rule id) implied by the asserted schema for the built-in rules."""
    ids, SP = store.ids, store.SP

    def pairs(pred) -> list[tuple[int, int]]:
        i = ids.get(pred)
        return [(s, o) for s, os_ in SP.get(i, {}).items() for o in os_] if i is not None else []

    t = ids.get(RDF.type, -(10**9))
    out: list[tuple[tuple, tuple, str]] = []
    sc = defaultdict(set)
    for c, d in pairs(RDFS.subClassOf):
        sc[c].add(d)
    for c, d in pairs(OWL.equivalentClass):
        sc[c].add(d)
        sc[d].add(c)
    for c in list(sc):  # transitive closure of the (small) class hierarchy
        seen, todo = set(), list(sc[c])
        while todo:
            d = todo.pop()
            if d not in seen:
                seen.add(d)
                todo.extend(sc.get(d, ()))
        for d in seen:
            out.append(((t, c), (t, d), "rdfs9"))
            out.append(((-t, d), (-t, c), "kgr-neg-sc"))
    for p, q in pairs(RDFS.subPropertyOf) + pairs(OWL.equivalentProperty):
        out += [((p, STAR), (q, STAR), "rdfs7"), ((-q, STAR), (-p, STAR), "kgr-neg-sp")]
    for p, q in pairs(OWL.equivalentProperty):
        out.append(((q, STAR), (p, STAR), "prp-eqp2"))
    for p, q in pairs(OWL.inverseOf):
        out += [
            ((p, STAR), (q, STAR), "prp-inv1"),
            ((q, STAR), (p, STAR), "prp-inv2"),
            ((-p, STAR), (-q, STAR), "kgr-neg-inv1"),
            ((-q, STAR), (-p, STAR), "kgr-neg-inv2"),
        ]
    for p, c in pairs(RDFS.domain) + pairs(RDFS.range):
        out.append(((p, STAR), (t, c), "rdfs2/rdfs3"))
    for n, p in pairs(KGR.negationOf):
        out.append(((n, STAR), (-p, STAR), "kgr-neg"))
    for c, d in pairs(OWL.disjointWith):
        out += [((t, c), (-t, d), "cax-dw"), ((t, d), (-t, c), "cax-dw2")]
    if pairs(OWL.sameAs):
        out.append(((ids[OWL.sameAs], STAR), ANY, "eq-rep"))
    return out


def stratify(rules: list[CompiledRule], store: Store) -> list[list[CompiledRule]]:
    """Layers of user rules, lowest first; raises :class:`RuleError` naming an unstratifiable cycle."""
    if not any(a.naf for cr in rules for a in cr.template.body):
        return [rules]
    import networkx as nx

    # producers: (head node, rule id, body atoms as (node, naf))
    producers: list[tuple[tuple, str, list[tuple[tuple, bool]]]] = []
    for cr in rules:
        body = [(_node(cr.K, a), a.naf) for a in cr.template.body]
        for h in cr.template.head:
            producers.append((_node(cr.K, h), cr.rule.id, body))
    for b, h, rid in _schema_rules(store):
        producers.append((h, rid, [(b, False)]))
    g = nx.DiGraph()
    for head, rid, body in producers:
        g.add_node(head)
        for bnode, naf in body:
            for other, _, _ in producers:
                if _matches(bnode, other):
                    if g.has_edge(other, head):
                        if naf and not g[other][head]["naf"]:
                            g[other][head].update(naf=True, rule=rid, atom=bnode)
                    else:
                        g.add_edge(other, head, naf=naf, rule=rid, atom=bnode)
    comp = {n: i for i, scc in enumerate(nx.strongly_connected_components(g)) for n in scc}
    for b, h, data in g.edges(data=True):
        if data["naf"] and comp[b] == comp[h]:
            cycle = [h] if b == h else nx.shortest_path(g, h, b)
            names = " → ".join(_name(store, n) for n in [*cycle, h])
            rule = next((cr.rule for cr in rules if cr.rule.id == data["rule"]), None)
            raise RuleError(
                f"the rules are not stratifiable: rule {data['rule']} uses 'not {_name(store, data['atom'])}', "
                f"which depends on the rule's own conclusion (cycle: {names})",
                path=(rule.source if rule is not None and rule.source else "<rules>"),
                hint="negation as failure cannot go through a cycle; use open-world mode "
                "(explicit negative facts) or break the cycle",
            )
    cond = nx.condensation(g, scc=None)
    mapping = cond.graph["mapping"]
    level: dict[int, int] = {}
    for c in nx.topological_sort(cond):
        lv = 0
        for b in cond.nodes[c]["members"]:
            for pred in g.predecessors(b):
                pc = mapping[pred]
                if pc != c:
                    lv = max(lv, level[pc] + (1 if g[pred][b]["naf"] else 0))
        level[c] = lv
    layers: dict[int, list[CompiledRule]] = {}
    for cr in rules:
        lv = max(level[mapping[_node(cr.K, h)]] for h in cr.template.head)
        cr.stratum = lv
        layers.setdefault(lv, []).append(cr)
    return [layers[k] for k in sorted(layers)]


def _name(store: Store, node: tuple) -> str:
    if node == ANY:
        return "(any fact)"
    pred, obj = node
    text = ("not " if pred < 0 else "") + str(store.terms[abs(pred)])
    return text + (f" {store.terms[obj]}" if obj is not None else " *")
