"""Engines that run the per-batch function over batches: in-process, a process pool on one
machine (``--workers``), or Ray Data ``map_batches`` with the evaluator held in actors."""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from kgreason.evaluation.modes import BatchEvaluator, evaluate_batch

log = logging.getLogger(__name__)

Batch = list[dict[str, Any]]


def batch_gc():
    """The language module's GC settings for long dataset runs (many small theories leave cyclic
    garbage; default thresholds make full collections a large share of the time)."""
    from kgreason.pipeline.theory import batch_gc

    return batch_gc()


def _worker_init() -> None:
    """A dedicated worker process keeps the batch GC settings for its whole life."""
    batch_gc().__enter__()


def run_local(
    batches: list[Batch], config: dict[str, Any], workers: int = 1
) -> Iterator[list[dict]]:
    """Yield each batch's records as soon as it is done (unordered with workers)."""
    if workers <= 1:  # the caller holds batch_gc() around this, outside its timings
        for batch in batches:
            yield evaluate_batch(batch, config)
        return
    import multiprocessing

    # spawn: safe with torch and threads; each worker builds its evaluator once (module cache)
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes=workers, initializer=_worker_init) as pool:
        yield from pool.imap_unordered(partial(evaluate_batch, config=config), batches)


def local_engine(batches: list[Batch], config: dict[str, Any], *, workers: int = 1,
                 address: str | None = None,
                 on_start: Callable[[dict[str, Any]], None] | None = None) -> Iterator[list[dict]]:
    """In this process, or a process pool of ``workers`` on this machine.

    An evaluation engine (registered in :data:`kgreason.plugins.engines`; other packages add one
    through the entry-point group ``kgreason.engines``) is called like this: it yields each
    batch's records, made by :func:`~kgreason.evaluation.modes.evaluate_batch` (or a
    :class:`~kgreason.evaluation.modes.BatchEvaluator` it holds), in any order;
    ``on_start(info)`` may report what it runs on."""
    return run_local(batches, config, workers=workers)


def ray_engine(batches: list[Batch], config: dict[str, Any], *, workers: int = 1,
               address: str | None = None,
               on_start: Callable[[dict[str, Any]], None] | None = None) -> Iterator[list[dict]]:
    """Ray Data ``map_batches`` with the evaluator held in actors (GPUs for model modes)."""
    return run_ray(batches, config, address=address, workers=workers, on_start=on_start)


class RayBatchEvaluator:
    """Ray Data callable class: the models/theory cache live as long as the actor."""

    def __init__(self, config: dict[str, Any]):
        _worker_init()
        self.evaluator = BatchEvaluator(config)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        examples = [json.loads(text) for text in batch["example"]]
        records = self.evaluator(examples)
        return {"record": np.array([json.dumps(r, default=str) for r in records], dtype=object)}


def _ray_init(address: str | None, workers: int) -> bool:
    """Connect to ``address`` (or RAY_ADDRESS), else start a local Ray. True if we started it."""
    import ray

    if ray.is_initialized():
        return False
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(
            num_cpus=max(workers, 1),
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    return True


@contextmanager
def ray_quiet(verbose: bool | None = None) -> Iterator[None]:
    """Ray and Ray Data print INFO lines, progress logs and notices to the terminal: keep them
    off it unless kgreason logs at INFO (``-v``). Ray's log files under /tmp/ray keep everything."""
    if verbose is None:
        verbose = log.isEnabledFor(logging.INFO)
    if verbose:
        yield
        return
    import ray.data  # configures the "ray.data" loggers on import: quiet them afterwards

    # ray.init drops the "ray" logger's handlers: its notices then reach Python's last-resort
    # handler (stderr), so the logger's own level is what keeps them off the terminal
    ray_logger = logging.getLogger("ray")
    ray_level = ray_logger.level
    ray_logger.setLevel(logging.ERROR)
    saved: list[tuple[logging.Handler, int]] = []
    for name in ("ray", "ray.data"):
        for handler in logging.getLogger(name).handlers:
            if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
                saved.append((handler, handler.level))
                handler.setLevel(logging.ERROR)
    context = ray.data.DataContext.get_current()
    flags = {name: getattr(context, name) for name in ("enable_progress_bars", "print_on_execution_start")
             if hasattr(context, name)}
    for name in flags:
        setattr(context, name, False)
    try:
        yield
    finally:
        ray_logger.setLevel(ray_level)
        for handler, level in saved:
            handler.setLevel(level)
        for name, value in flags.items():
            setattr(context, name, value)


def _local_actor_args() -> dict[str, Any]:
    """On a local cluster we started there is no node to lose: an actor that dies (out of memory,
    a crash) ends the run instead of being restarted forever (``--resume`` goes on from
    predictions.jsonl), and Ray does not log an error line per restartable actor. Ray has no
    named parameter for it; its ``**ray_remote_args`` are deprecated, so only while they exist."""
    import inspect

    import ray.data

    params = inspect.signature(ray.data.Dataset.map_batches).parameters.values()
    return {"max_restarts": 0} if any(p.kind is p.VAR_KEYWORD for p in params) else {}


def run_ray(
    batches: list[Batch],
    config: dict[str, Any],
    *,
    address: str | None = None,
    workers: int = 1,
    on_start: Callable[[dict[str, Any]], None] | None = None,
) -> Iterator[list[dict]]:
    """The same per-batch function through Ray Data; GPUs requested for model modes when the
    cluster has them (one GPU per actor, as many actors as GPUs)."""
    with ray_quiet():
        yield from _run_ray(batches, config, address=address, workers=workers, on_start=on_start)


def _run_ray(batches, config, *, address, workers, on_start) -> Iterator[list[dict]]:
    import ray

    started = _ray_init(address, workers)
    try:
        resources = ray.cluster_resources()
        gpus = int(resources.get("GPU", 0))
        from kgreason.pipeline.decide import mode_of

        uses_model = mode_of(config.get("mode", "symbolic")).verifies
        num_gpus = 1 if uses_model and gpus >= 1 else 0
        concurrency = min(workers, gpus) if num_gpus else max(workers, 1)
        concurrency = max(1, min(concurrency, len(batches)))  # one block per batch: no idle actors
        info = {
            "cluster_cpus": resources.get("CPU", 0),
            "cluster_gpus": gpus,
            "actors": concurrency,
            "gpus_per_actor": num_gpus,
        }
        log.info("ray: %s", info)
        if on_start:
            on_start(info)
        sizes = [len(b) for b in batches]
        rows = [{"example": json.dumps(e)} for batch in batches for e in batch]
        if not rows:
            return
        dataset = ray.data.from_items(rows, override_num_blocks=max(1, len(batches)))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*ray_remote_args.* is deprecated")
            dataset = dataset.map_batches(
                RayBatchEvaluator,
                fn_constructor_kwargs={"config": config},
                batch_size=max(sizes),
                compute=ray.data.ActorPoolStrategy(size=concurrency),
                num_gpus=num_gpus,
                batch_format="numpy",
                **(_local_actor_args() if started and not address else {}),
            )
        for out in dataset.iter_batches(batch_size=None, batch_format="numpy"):
            yield [json.loads(text) for text in out["record"]]
    finally:
        if started:
            ray.shutdown()
