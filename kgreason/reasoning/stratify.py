"""Stratification of negation as failure (closed-world mode).

A predicate-level dependency graph: for each user rule, body predicates → head predicates
(marked when the body atom is ``not``). Built-in rules add the edges that the graph's own schema
implies (sub-properties, inverses, domains/ranges, negation properties; ``owl:sameAs`` or a
variable predicate links everything through the node ``ANY``). A ``not`` edge inside a cycle
makes the rule set unstratifiable: we reject it and name the cycle.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS

from kgreason.errors import RuleError
from kgreason.graph.vocab import KGR
from kgreason.reasoning.engine import CompiledRule, Store

ANY = "ANY"


def _edges(rules: list[CompiledRule], store: Store) -> tuple[list[tuple], set]:
    edges: list[tuple[object, object, bool, str]] = []
    for cr in rules:
        t = cr.template
        heads = [cr.K[a.p[1]] if a.p[0] == "c" else ANY for a in t.head]
        for a in t.body:
            b = cr.K[a.p[1]] if a.p[0] == "c" else ANY
            for h in heads:
                edges.append((b, h, a.naf, cr.rule.id))
    ids, SP = store.ids, store.SP

    def pairs(pred) -> list[tuple[int, int]]:
        i = ids.get(pred)
        return [(s, o) for s, os_ in SP.get(i, {}).items() for o in os_] if i is not None else []

    type_id = ids.get(RDF.type, -10**9)
    for p, q in pairs(RDFS.subPropertyOf) + pairs(OWL.equivalentProperty):
        edges += [(p, q, False, "rdfs7"), (q, p, False, "prp-eqp"), (-q, -p, False, "kgr-neg-sp")]
    for p, q in pairs(OWL.inverseOf):
        edges += [(p, q, False, "prp-inv1"), (q, p, False, "prp-inv2"), (-p, -q, False, "kgr-neg-inv")]
    for p, _ in pairs(RDFS.domain) + pairs(RDFS.range):
        edges.append((p, type_id, False, "rdfs2/rdfs3"))
    for n, p in pairs(KGR.negationOf):
        edges.append((n, -p, False, "kgr-neg"))
    edges.append((type_id, -type_id, False, "cax-dw"))
    if pairs(OWL.sameAs):
        edges.append((ids[OWL.sameAs], ANY, False, "eq-rep"))
    return edges, {n for e in edges for n in e[:2]}


def stratify(rules: list[CompiledRule], store: Store) -> list[list[CompiledRule]]:
    """Layers of user rules, lowest first; raises :class:`RuleError` naming an unstratifiable cycle."""
    if not any(a.naf for cr in rules for a in cr.template.body):
        return [rules]
    import networkx as nx

    edges, nodes = _edges(rules, store)
    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    for b, h, naf, rid in edges:
        if g.has_edge(b, h):
            g[b][h]["naf"] = g[b][h]["naf"] or naf
            if naf:
                g[b][h]["rule"] = rid
        else:
            g.add_edge(b, h, naf=naf, rule=rid)
    if ANY in g:  # ANY stands for every predicate: it feeds and is fed by all of them
        for n in list(g.nodes):
            if n != ANY:
                g.add_edge(ANY, n, naf=False, rule="(any predicate)") if not g.has_edge(ANY, n) else None
                g.add_edge(n, ANY, naf=False, rule="(any predicate)") if not g.has_edge(n, ANY) else None
    comp_of = {}
    for k, comp in enumerate(nx.strongly_connected_components(g)):
        for n in comp:
            comp_of[n] = k
    for b, h, data in g.edges(data=True):
        if data["naf"] and comp_of[b] == comp_of[h]:
            cycle = nx.shortest_path(g, h, b) + [h]
            names = " → ".join(_name(store, n) for n in cycle)
            raise RuleError(
                f"the rules are not stratifiable: rule {data['rule']} negates {_name(store, b)}, "
                f"which depends on its own conclusion (cycle: {names})",
                path=next((cr.rule.source for cr in rules if cr.rule.id == data["rule"]), None) or "<rules>",
                hint="negation as failure cannot go through a cycle; use open-world mode "
                "(explicit negative facts) or break the cycle",
            )
    cond = nx.condensation(g, scc=None)
    level: dict[int, int] = {}
    for c in nx.topological_sort(cond):
        members = cond.nodes[c]["members"]
        lv = 0
        for pred in cond.predecessors(c):
            for m in members:
                for b in cond.nodes[pred]["members"]:
                    if g.has_edge(b, m):
                        lv = max(lv, level[pred] + (1 if g[b][m]["naf"] else 0))
        level[c] = lv
    layer_of = {n: level[cond.graph["mapping"][n]] for n in g.nodes}
    layers: dict[int, list[CompiledRule]] = {}
    for cr in rules:
        heads = [cr.K[a.p[1]] if a.p[0] == "c" else ANY for a in cr.template.head]
        lv = max(layer_of.get(h, 0) for h in heads)
        cr.stratum = lv
        layers.setdefault(lv, []).append(cr)
    return [layers[k] for k in sorted(layers)]


def _name(store: Store, node) -> str:
    if node == ANY:
        return "(any predicate)"
    term = store.terms[abs(node)]
    return ("not " if node < 0 else "") + str(term)
