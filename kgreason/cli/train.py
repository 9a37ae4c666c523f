"""``kgreason train nli``: fine-tune a BERT-family NLI verifier (full or LoRA) on generated or given data."""

from __future__ import annotations

from pathlib import Path

import typer

from kgreason.cli.common import JSON_OPTION, console, hidden_alias, print_json

train_app = typer.Typer(help="Train models (the NLI verifier, the neural reader).", no_args_is_help=True)

#: No default data file: the corpora are not part of the package (they live outside it, e.g. in
#: a checkout's ../shared/data), so a command that needs one asks for it by name.
PROOFWRITER_EXAMPLE = "proofwriter-d5-owa-train.json"
READER_DATA_EXAMPLE = "pararules-train-sentences.jsonl"


def _graph_option(help: str):
    return typer.Option([], "--graph", "-g", metavar="GRAPH", help=help)


def _output_option(default: Path, help: str):
    return typer.Option(default, "--output", "-o", metavar="DIR", help=help)


def _need_data(path: Path | None, option: str, what: str, example: str) -> Path:
    """The data file an option names; a clear usage error when none is given or it is missing."""
    from kgreason.errors import InputError

    if path is None:
        raise InputError(f"{option} FILE is required: {what} (no copy ships with kgreason)",
                         hint=f"e.g. {option} ../shared/data/{example}")
    if not path.exists():
        raise InputError(f"{what} not found: {path}", hint=f"pass {option} PATH to an existing file")
    return path


def _generate(out_dir: Path, proofwriter: Path | None, graphs: list[str], n_train: int, n_dev: int,
              seed: int, reading_data: Path | None = None) -> dict[str, Path]:
    from kgreason.errors import InputError
    from kgreason.graph.loaders import load_graph
    from kgreason.models.nli_data import build_default_splits

    pw = _need_data(proofwriter, "--proofwriter", "the ProofWriter JSON that generated NLI data comes from",
                    PROOFWRITER_EXAMPLE)
    kgs = [load_graph([g]) for g in graphs]
    if reading_data is not None and not reading_data.exists():
        raise InputError(f"sentences file not found: {reading_data}",
                         hint=f"pass a *-sentences.jsonl file, e.g. {READER_DATA_EXAMPLE}")
    return build_default_splits(out_dir, proofwriter=pw, n_train=n_train, n_dev=n_dev, seed=seed, graphs=kgs,
                                reading_data=reading_data)


READING_DATA_OPTION = typer.Option(
    None, "--reading-data", help="Crowd *-sentences.jsonl: 30% of the pairs become (sentence, reading) pairs "
    f"for confirming the neural reader's readings (e.g. {READER_DATA_EXAMPLE}).")


@train_app.command("nli-data")
def nli_data(
    output: Path = _output_option(Path("runs/nli-data"), "Folder for train.jsonl and dev.jsonl."),
    out: Path = hidden_alias("--out"),
    proofwriter: Path = typer.Option(None, "--proofwriter", metavar="FILE",
                                     help=f"ProofWriter JSON (theories as facts), e.g. {PROOFWRITER_EXAMPLE}; required."),
    graph: list[str] = _graph_option("Graph file or shipped name to draw facts from (repeatable)."),
    n_train: int = typer.Option(30000, "--n-train"),
    n_dev: int = typer.Option(1500, "--n-dev"),
    seed: int = typer.Option(13, "--seed"),
    reading_data: Path = READING_DATA_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """Write reproducible NLI training data (premise facts → entailed/contradicted/neutral statements)."""
    out = out if out is not None else output
    paths = _generate(out, proofwriter, graph, n_train, n_dev, seed, reading_data)
    if json_out:
        print_json({k: str(v) for k, v in paths.items()})
    else:
        for k, v in paths.items():
            console.print(f"{k}: {v}")


@train_app.command("nli")
def nli(
    base: str = typer.Option("minilm", "--base", help="BERT-family encoder: packaged 'minilm', a path or a hub id."),
    lora: bool = typer.Option(True, "--lora/--full", help="LoRA adapter over a frozen base, or full fine-tuning."),
    train_file: Path = typer.Option(None, "--train", help="train.jsonl (premise, hypothesis, label); "
                                    "generated when omitted."),
    dev_file: Path = typer.Option(None, "--dev", help="dev.jsonl; generated when omitted."),
    output: Path = _output_option(Path("runs/nli"), "Run folder: best/, checkpoints/, summary.json."),
    out: Path = hidden_alias("--out"),
    proofwriter: Path = typer.Option(None, "--proofwriter", metavar="FILE",
                                     help="ProofWriter JSON for generated data (required without --train/--dev)."),
    graph: list[str] = _graph_option("Graph to draw generated facts from (repeatable)."),
    n_train: int = typer.Option(30000, "--n-train"),
    n_dev: int = typer.Option(1500, "--n-dev"),
    reading_data: Path = READING_DATA_OPTION,
    epochs: int = typer.Option(1, "--epochs"),
    batch_size: int = typer.Option(32, "--batch-size"),
    lr: float = typer.Option(None, "--lr", help="Default 5e-4 (LoRA) or 3e-5 (full)."),
    max_length: int = typer.Option(96, "--max-length"),
    max_steps: int = typer.Option(None, "--max-steps", help="Stop after N steps (smoke runs)."),
    max_minutes: float = typer.Option(None, "--max-minutes", help="Time budget (a resumed run's earlier "
                                      "minutes count); evaluates, keeps the best checkpoint and stops once it is used up."),
    threads: int = typer.Option(None, "--threads", help="CPU threads for torch (1 is best on a busy machine)."),
    eval_every: int = typer.Option(None, "--eval-every", help="Evaluate every N steps (default: each epoch)."),
    patience: int = typer.Option(2, "--patience", help="Stop after N evaluations without improvement."),
    lora_r: int = typer.Option(16, "--lora-r"),
    seed: int = typer.Option(0, "--seed"),
    device: str = typer.Option(None, "--device", help="auto, cpu, cuda, mps."),
    resume: Path = typer.Option(None, "--resume", metavar="DIR", help="Continue from the last checkpoint of a run "
                                "folder (or from one of its checkpoints/checkpoint-N folders)."),
    no_progress: bool = typer.Option(False, "--no-progress", help="No progress bar (it shows on a terminal, "
                                     "or with KGREASON_PROGRESS=1)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Fine-tune an NLI verifier; the best dev checkpoint lands in OUT/best."""
    from kgreason.errors import InputError
    from kgreason.extras import require

    require("models", "torch", "transformers", "peft", what="'kgreason train nli'")
    from kgreason.models.nli_data import read_jsonl
    from kgreason.models.training import TrainConfig, train_nli

    out = out if out is not None else output
    if threads:
        import torch

        torch.set_num_threads(threads)
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a run folder", where=str(out), hint="give a new or existing folder for -o/--output")
    if (train_file is None) != (dev_file is None):
        raise InputError("give both --train and --dev, or neither (then data is generated)")
    if train_file is None:
        paths = _generate(out / "data", proofwriter, graph, n_train, n_dev, seed + 13, reading_data)
        train_file, dev_file = paths["train"], paths["dev"]
    for f in (train_file, dev_file):
        if not f.exists():
            raise InputError(f"data file not found: {f}", hint="write one with `kgreason train nli-data`")
        if f.is_dir():
            raise InputError("is a directory, not a JSONL data file", where=str(f),
                             hint="give the train.jsonl / dev.jsonl inside it")
    cfg = TrainConfig(base=base, output_dir=str(out), lora=lora, lora_r=lora_r, epochs=epochs,
                      batch_size=batch_size, lr=lr, max_length=max_length, max_steps=max_steps, max_minutes=max_minutes,
                      eval_every=eval_every, patience=patience, seed=seed, device=device)
    train, dev = list(read_jsonl(train_file)), list(read_jsonl(dev_file))
    info = {"train": str(train_file), "dev": str(dev_file), "n_train": len(train), "n_dev": len(dev)}
    result = train_nli(cfg, train, dev, resume=resume, progress=False if no_progress or json_out else None,
                       data_info=info)
    if json_out:
        print_json(result.to_json())
        return
    acc = result.best_metrics.get("accuracy")
    console.print(f"trained {result.steps} steps on {result.device} in {result.seconds:.0f}s "
                  f"({result.pairs_per_second:.1f} pairs/s); best dev accuracy {acc}; "
                  f"checkpoint: {result.best_dir}")


DATA_OPTION = typer.Option(None, "--data", metavar="FILE",
                           help=f"Crowd sentences (*-sentences.jsonl), e.g. {READER_DATA_EXAMPLE}; required.")


def _reader_data(data: Path | None, seed: int):
    from kgreason.models.reader_data import build_reader_data, read_sentences

    data = _need_data(data, "--data", "the crowd sentences file (*-sentences.jsonl)", READER_DATA_EXAMPLE)
    return build_reader_data(read_sentences(data), seed=seed)


@train_app.command("reader-data")
def reader_data(
    output: Path = _output_option(Path("runs/reader-data"), "Folder for train.jsonl, val.jsonl, info.json."),
    out: Path = hidden_alias("--out"),
    data: Path = DATA_OPTION,
    seed: int = typer.Option(13, "--seed"),
    json_out: bool = JSON_OPTION,
) -> None:
    """Write the neural reader's training mix (crowd, renamed, synthetic, questions, identity)."""
    from kgreason.models.reader_data import write_reader_data

    out = out if out is not None else output
    built = _reader_data(data, seed)
    paths = write_reader_data(built, out)
    if json_out:
        print_json({"paths": {k: str(v) for k, v in paths.items()}, "info": built.info})
    else:
        console.print(f"{built.info['train_examples']} train / {built.info['val_examples']} validation examples "
                      f"({', '.join(f'{k} {v}' for k, v in sorted(built.info['kinds'].items()))}) in {out}")


@train_app.command("reader")
def reader(
    output: Path = _output_option(Path("runs/reader"), "Run folder: best/ (the adapter), checkpoints/, "
                                    "summary.json."),
    out: Path = hidden_alias("--out"),
    base: str = typer.Option("smollm2", "--base", help="Causal LM: packaged 'smollm2', a folder, a .gguf or a hub id."),
    data: Path = DATA_OPTION,
    epochs: int = typer.Option(1, "--epochs"),
    batch_size: int = typer.Option(16, "--batch-size"),
    lr: float = typer.Option(1e-3, "--lr"),
    lora_r: int = typer.Option(8, "--lora-r"),
    max_length: int = typer.Option(96, "--max-length", help="Longest prompt + reading in tokens (longer dropped)."),
    max_steps: int = typer.Option(None, "--max-steps", help="Stop after N steps (also sets the LR schedule)."),
    max_minutes: float = typer.Option(None, "--max-minutes", help="Time budget (a resumed run's earlier "
                                      "minutes count); evaluates, keeps the best checkpoint and stops once it is used up."),
    eval_every: int = typer.Option(150, "--eval-every", help="Validate (and checkpoint) every N steps."),
    threads: int = typer.Option(None, "--threads", help="CPU threads for torch."),
    seed: int = typer.Option(0, "--seed"),
    data_seed: int = typer.Option(13, "--data-seed", help="Seed of the data mix (renaming, templates)."),
    device: str = typer.Option(None, "--device", help="auto, cpu, cuda, mps."),
    resume: Path = typer.Option(None, "--resume", metavar="DIR", help="Continue from the last checkpoint of a run "
                                "folder (or from one of its checkpoints/checkpoint-N folders)."),
    no_progress: bool = typer.Option(False, "--no-progress", help="No progress bar (it shows on a terminal, "
                                     "or with KGREASON_PROGRESS=1)."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Fine-tune the neural reader (LoRA over a causal LM); the best checkpoint lands in OUT/best."""
    from kgreason.errors import InputError
    from kgreason.extras import require

    require("models", "torch", "transformers", "peft", what="'kgreason train reader'")
    from kgreason.models.reader_training import ReaderTrainConfig, train_reader

    out = out if out is not None else output
    if threads:
        import torch

        torch.set_num_threads(threads)
    if out.exists() and not out.is_dir():
        raise InputError("is a file, not a run folder", where=str(out), hint="give a new or existing folder for -o/--output")
    built = _reader_data(data, data_seed)
    cfg = ReaderTrainConfig(base=base, output_dir=str(out), lora_r=lora_r, lora_alpha=2 * lora_r,
                            batch_size=batch_size, lr=lr, max_length=max_length, epochs=epochs, max_steps=max_steps,
                            max_minutes=max_minutes, eval_every=eval_every, seed=seed, device=device)
    info = built.info | {"file": str(data)}
    result = train_reader(cfg, built.train, built.val, resume=resume,
                          progress=False if no_progress or json_out else None, data_info=info)
    if json_out:
        print_json(result.to_json())
        return
    m = result.best_metrics
    console.print(f"trained {result.steps} steps ({result.examples_seen} examples) on {result.device} in "
                  f"{result.seconds:.0f}s; best validation loss {m.get('loss')} (teacher-forced exact "
                  f"{m.get('exact')}); adapter: {result.best_dir}")


def register(app: typer.Typer) -> None:
    app.add_typer(train_app, name="train")
