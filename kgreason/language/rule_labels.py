"""Every rule the reasoner can put in a proof, named in English: a short name ("subclass of a
subclass", "is transitive", "inherits from its class") shown in proof text, JSON (``rule_label``)
and drawings, and a one-line gloss (``rule_gloss``) saying what the rule does.

Keys are the ids proofs carry (``kgreason.reasoning``: the RDFS / OWL 2 RL rules under their W3C
ids and their ``-rev`` / ``-op`` / ``-dp`` / ``-cls`` variants, the ``kgr-`` rules for negative
facts, defaults and the closed world, and the rules written out per axiom of a graph, whose id
ends in ``#n``). ``tests/language/test_rule_labels.py`` enumerates the ids from the reasoner, so a
rule added there without a name here fails the test. User rules (a rule file's, an English
graph's sentence, a WordNet link) are named by their own text.
"""

from __future__ import annotations

from kgreason.core import ASSERTED, CWA

#: id → (name, gloss). Names are short (they label a node of a drawing); glosses are one line.
RULE_LABELS: dict[str, tuple[str, str]] = {
    ASSERTED: ("given", "stated in the knowledge graph"),
    # --- RDFS
    "rdfs2": ("from the property's domain",
              "whatever has this property is a member of the property's domain"),
    "rdfs3": ("from the property's range",
              "whatever is a value of this property is a member of the property's range"),
    "rdfs5": ("subproperty of a subproperty", "a subproperty of a subproperty is a subproperty too"),
    "rdfs7": ("holds for the broader property",
              "a statement with a property also holds with every property it is a subproperty of"),
    "rdfs9": ("member of a superclass", "a member of a class is a member of every class it is a kind of"),
    "rdfs11": ("subclass of a subclass", "a kind of a kind of something is a kind of it too"),
    # --- OWL 2 RL: the W3C ids of the RDFS rules (shown by `kgreason rules list`)
    "prp-dom": ("from the property's domain",
                "whatever has this property is a member of the property's domain"),
    "prp-rng": ("from the property's range",
                "whatever is a value of this property is a member of the property's range"),
    "prp-spo1": ("holds for the broader property",
                 "a statement with a property also holds with every property it is a subproperty of"),
    "cax-sco": ("member of a superclass", "a member of a class is a member of every class it is a kind of"),
    "scm-sco": ("subclass of a subclass", "a kind of a kind of something is a kind of it too"),
    "scm-spo": ("subproperty of a subproperty", "a subproperty of a subproperty is a subproperty too"),
    # --- schema
    "scm-eqc1": ("same class, so a kind of each other",
                 "two equivalent classes are each a kind of the other"),
    "scm-eqc2": ("kinds of each other, so the same class",
                 "two classes that are each a kind of the other are equivalent"),
    "scm-eqp1": ("same property, so a subproperty of each other",
                 "two equivalent properties are each a subproperty of the other"),
    "scm-eqp2": ("subproperties of each other, so the same property",
                 "two properties that are each a subproperty of the other are equivalent"),
    "scm-dom1": ("domain widened to a superclass",
                 "a property whose domain is a class also has every superclass of it as domain"),
    "scm-dom2": ("domain of the broader property",
                 "a subproperty has the domain of the property it is a subproperty of"),
    "scm-rng1": ("range widened to a superclass",
                 "a property whose range is a class also has every superclass of it as range"),
    "scm-rng2": ("range of the broader property",
                 "a subproperty has the range of the property it is a subproperty of"),
    "scm-cls": ("every class is a kind of itself",
                "every class is a kind of itself and of owl:Thing, and owl:Nothing is a kind of it"),
    "scm-op": ("every property implies itself", "every object property is a subproperty of itself"),
    "scm-dp": ("every property implies itself", "every data property is a subproperty of itself"),
    "scm-hv": ("same value, broader property",
               "having a value through a subproperty is a kind of having it through the broader one"),
    "scm-hv-op": ("same value, same property",
                  "two restrictions to the same value on the same property describe the same things"),
    "scm-hv-dp": ("same value, same property",
                  "two restrictions to the same value on the same property describe the same things"),
    "scm-svf1": ("some of a narrower class",
                 "having some value of a class is a kind of having some value of a superclass of it"),
    "scm-svf1-cls": ("some of the same class",
                     "two restrictions to some value of the same class describe the same things"),
    "scm-svf2": ("some through a narrower property",
                 "having some value through a subproperty is a kind of having it through the broader one"),
    "scm-svf2-op": ("some through the same property",
                    "two restrictions to some value of the same class describe the same things"),
    "scm-svf2-dp": ("some through the same property",
                    "two restrictions to some value of the same class describe the same things"),
    "scm-avf1": ("only values of a narrower class",
                 "having only values of a class is a kind of having only values of a superclass of it"),
    "scm-avf1-cls": ("only values of the same class",
                     "two restrictions to only values of the same class describe the same things"),
    "scm-avf2": ("only values through a broader property",
                 "having only values through a property implies it through each of its subproperties"),
    "scm-avf2-op": ("only values through the same property",
                    "two restrictions to only values of the same class describe the same things"),
    "scm-avf2-dp": ("only values through the same property",
                    "two restrictions to only values of the same class describe the same things"),
    "scm-int": ("an intersection is a kind of each part",
                "a class defined as an intersection is a kind of each class it intersects"),
    "scm-uni": ("each part is a kind of the union",
                "each class of a union is a kind of the class defined as the union"),
    # --- class axioms
    "cax-eqc1": ("member of the same class", "a member of a class is a member of every equivalent class"),
    "cax-eqc2": ("member of the same class", "a member of a class is a member of every equivalent class"),
    "cax-dw": ("disjoint classes", "nothing is a member of two disjoint classes"),
    "cax-dw2": ("disjoint classes", "nothing is a member of two disjoint classes"),
    "cax-adc": ("disjoint classes", "the listed classes are pairwise disjoint: nothing is in two of them"),
    # --- properties
    "prp-trp": ("is transitive", "a transitive relation carries over along a chain (a to b, b to c: a to c)"),
    "prp-symp": ("is symmetric", "a symmetric relation holds both ways"),
    "prp-inv1": ("inverse relation", "a relation and its inverse hold in opposite directions"),
    "prp-inv2": ("inverse relation", "a relation and its inverse hold in opposite directions"),
    "prp-eqp1": ("same property", "a statement with a property holds with every equivalent property"),
    "prp-eqp2": ("same property", "a statement with a property holds with every equivalent property"),
    "prp-fp": ("has only one value",
               "a functional property has one value per thing, so two values are the same thing"),
    "prp-ifp": ("identifies its subject",
                "an inverse-functional property has one subject per value, so two subjects are the same"),
    "prp-irp": ("is irreflexive", "an irreflexive relation never relates a thing to itself"),
    "prp-asyp": ("is asymmetric", "an asymmetric relation never holds both ways"),
    "prp-pdw": ("disjoint properties", "two disjoint properties never relate the same pair"),
    "prp-pdw-rev": ("disjoint properties", "two disjoint properties never relate the same pair"),
    "prp-adp": ("disjoint properties", "the listed properties are pairwise disjoint"),
    "prp-spo2": ("chain of properties", "a chain of the listed properties implies the property"),
    "prp-key": ("same key, same thing", "two members of a class with the same key values are the same"),
    "prp-npa1": ("stated not to hold", "a negative property assertion says the statement is false"),
    "prp-npa2": ("stated not to hold", "a negative property assertion says the statement is false"),
    "prp-ap": ("built-in annotation property", "rdfs:label, rdfs:comment ... are annotation properties"),
    # --- equality
    "eq-ref": ("everything is itself", "everything is the same as itself"),
    "eq-ref-p": ("everything is itself", "everything is the same as itself"),
    "eq-ref-o": ("everything is itself", "everything is the same as itself"),
    "eq-sym": ("sameness goes both ways", "if a is the same as b, b is the same as a"),
    "eq-trans": ("same as the same", "things the same as the same thing are the same as each other"),
    "eq-rep": ("same thing, same facts", "what holds of a thing holds of everything the same as it"),
    "eq-rep-s": ("same thing, same facts", "what holds of a thing holds of everything the same as it"),
    "eq-rep-p": ("same property, same facts", "what holds with a property holds with everything the same as it"),
    "eq-rep-o": ("same thing, same facts", "what holds of a thing holds of everything the same as it"),
    "eq-diff1": ("different things", "things stated to be different are not the same"),
    "eq-diff2": ("all different", "the listed things are pairwise different"),
    "eq-diff3": ("all different", "the listed things are pairwise different"),
    # --- class expressions
    "cls-thing": ("built-in class", "owl:Thing is a class"),
    "cls-nothing1": ("built-in class", "owl:Nothing is a class"),
    "cls-nothing2": ("nothing is in the empty class", "owl:Nothing has no members"),
    "cls-int1": ("in every part, so in the intersection",
                 "a member of every class of an intersection is a member of the intersection"),
    "cls-int2": ("in the intersection, so in each part",
                 "a member of an intersection is a member of each class it intersects"),
    "cls-uni": ("in a part, so in the union", "a member of one class of a union is a member of the union"),
    "cls-com": ("the complement", "nothing is both in a class and in its complement"),
    "cls-com-rev": ("the complement", "nothing is both in a class and in its complement"),
    "cls-svf1": ("has some of that class",
                 "something with a value of the required class belongs to the 'some' restriction"),
    "cls-svf2": ("has some value", "something with any value of the property belongs to the 'some' restriction"),
    "cls-avf": ("only values of that class",
                "every value of a thing in an 'only' restriction is a member of the required class"),
    "cls-hv1": ("has the restriction's value",
                "a member of a 'has value' restriction has that value"),
    "cls-hv2": ("has the value, so in the restriction",
                "something with the value belongs to the 'has value' restriction"),
    "cls-maxc1": ("at most none", "a 'max 0' restriction excludes anything with such a value"),
    "cls-maxc2": ("at most one value", "two values of a 'max 1' restriction are the same thing"),
    "cls-maxqc1": ("at most none of that class",
                   "a qualified 'max 0' restriction excludes anything with such a value"),
    "cls-maxqc2": ("at most none", "a qualified 'max 0' restriction excludes anything with such a value"),
    "cls-maxqc3": ("at most one of that class",
                   "two values of that class under a qualified 'max 1' restriction are the same"),
    "cls-maxqc4": ("at most one value", "two values under a qualified 'max 1' restriction are the same"),
    "cls-oo": ("one of the listed", "each listed thing is a member of the enumerated class"),
    # --- datatypes
    "dt-type1": ("built-in datatype", "the supported XSD datatypes are datatypes"),
    "dt-type2": ("a valid literal of its datatype", "a literal with a valid form is a member of its datatype"),
    "dt-eq": ("same data value", "two literals with the same data value are the same"),
    "dt-diff": ("different data values", "two literals with different data values are different"),
    "dt-not-type": ("not a valid literal", "a literal whose form is not valid is not a member of its datatype"),
    "rdfD1": ("claims its datatype", "a literal written with a datatype claims to be of that type"),
    # --- kgreason's own rules: negative facts
    "kgr-neg": ("negative property", "a statement with a property that means 'not P' denies P"),
    "kgr-dw-sym": ("disjointness goes both ways", "if A is disjoint with B, B is disjoint with A"),
    "kgr-neg-sc": ("not in the superclass, so not in the class",
                   "what is not a member of a class is not a member of any kind of it"),
    "kgr-neg-sp": ("not by the broader property, so not by this one",
                   "what does not hold with a property does not hold with its subproperties"),
    "kgr-neg-symp": ("is symmetric, also when denied", "a denied symmetric relation is denied both ways"),
    "kgr-neg-inv1": ("inverse relation, also when denied", "a denied relation denies its inverse"),
    "kgr-neg-inv2": ("inverse relation, also when denied", "a denied relation denies its inverse"),
    "kgr-neg-hv": ("lacks the restriction's value",
                   "what is not in a 'has value' restriction does not have that value"),
    "kgr-neg-svf": ("not some of that class",
                    "what is not in a 'some' restriction has no value of the required class"),
    "kgr-neg-avf": ("not of the only class allowed",
                    "a value outside the class an 'only' restriction allows is not a value"),
    "kgr-neg-maxc": ("allows none", "a member of a 'max 0' restriction has no such value"),
    "kgr-neg-maxqc": ("allows none of that class", "a member of a qualified 'max 0' restriction has no such value"),
    "kgr-dw-sc": ("disjoint, so not a kind of it", "a class is not a kind of a class it is disjoint with"),
    "kgr-dw-sc2": ("kind of a disjoint class", "a kind of a class is not a kind of a class disjoint with it"),
    "kgr-dw-sc3": ("disjoint with a superclass", "a class is not a kind of a class whose superclass it is disjoint with"),
    "kgr-dw-sc4": ("disjoint up the hierarchy",
                   "a kind of a class is not a kind of a class under one disjoint with it"),
    # --- defaults and the closed world
    "kgr-inherit": ("inherits from its class",
                    ("what is said of a class holds for its kinds and members unless something "
                     "more specific says otherwise")),
    "kgr-inherit-neg": ("inherits a 'not' from its class",
                        ("what is denied of a class is denied of its kinds and members unless "
                         "something more specific says otherwise")),
    CWA: ("not derivable (closed world)", "closed world: what cannot be derived is false"),
    "kgr-individual": ("one of the theory's individuals",
                       "closed world: a 'not' about something ranges over the things the theory names"),
}


def base_id(rule_id: str) -> str:
    """``cls-int1#3`` → ``cls-int1`` (rules written out per axiom carry a number)."""
    return rule_id.split("#", 1)[0]


def is_builtin(rule_id: str) -> bool:
    return base_id(rule_id) in RULE_LABELS


def rule_label(rule_id: str, rule_text: str = "") -> str:
    """The English name of a rule: the table's for built-in rules; a user rule's own text (an
    English sentence as written, or the rule line), else its id."""
    found = RULE_LABELS.get(base_id(rule_id))
    if found is not None:
        return found[0]
    return user_rule_text(rule_text) or rule_id


def rule_gloss(rule_id: str, rule_text: str = "") -> str:
    """One line on what the rule does (a user rule: its text)."""
    found = RULE_LABELS.get(base_id(rule_id))
    if found is not None:
        return found[1]
    return user_rule_text(rule_text) or rule_id


def user_rule_text(text: str) -> str:
    """A user rule's text without its ``[name]`` prefix and trailing period."""
    text = " ".join(text.split())
    if text.startswith("[") and "]" in text:
        text = text.split("]", 1)[1].strip()
    return text.rstrip(" .")
