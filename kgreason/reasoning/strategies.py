"""Reasoning strategies: how a :class:`~kgreason.reasoning.Reasoner` derives facts
(``Reasoner(strategy=...)``, ``--reasoning``, a pipeline's ``reasoning.strategy``).

A strategy is registered by name in :data:`kgreason.plugins.strategies` (other packages add one
through the entry-point group ``kgreason.strategies``). Its object has

* ``solver(state)``: a per-question solver with :class:`~kgreason.reasoning.goal.GoalSolver`'s
  interface for a closure state that is about to be computed, or None to materialize the whole
  closure up front (the closure is then cached between processes);
* ``fallback``: the name of the strategy to switch to when the closure would pass
  ``max_facts``, or None (the closure stops with a clear error).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgreason.errors import ReasoningError
from kgreason.plugins import PluginError, strategies


@dataclass(frozen=True)
class Strategy:
    name: str
    description: str
    per_question: bool = False  # derive per question (goal.py) instead of the closure
    fallback: str | None = None

    def solver(self, state: Any) -> Any:
        if not self.per_question:
            return None
        from kgreason.reasoning.goal import GoalSolver

        return GoalSolver(state)


MATERIALIZE = Strategy("materialize", "the whole closure up front, then every question is a lookup")
QUERY_TIME = Strategy("query-time", "derive per question only what it needs (graphs too big to "
                      "materialize)", per_question=True)
AUTO = Strategy("auto", "materialize, or query-time when the closure would pass max_facts",
                fallback="query-time")


def strategy_of(name: str) -> Any:
    """The registered strategy ``name``; an unknown or broken one is a ReasoningError."""
    try:
        return strategies.get(name)
    except PluginError as exc:
        raise ReasoningError(exc.message, hint=exc.hint) from None
