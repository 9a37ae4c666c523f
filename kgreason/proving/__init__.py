"""First-order proving: theories that need more than Horn rules (either … or, some, no, only)
go to a real theorem prover (z3), with answers explained by checked steps or a countermodel."""

from kgreason.proving.prover import Countermodel, FirstOrderAnswer, Step, prove

__all__ = ["Countermodel", "FirstOrderAnswer", "Step", "prove"]
