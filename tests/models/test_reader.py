"""The neural reader on tiny random-init causal LMs built here (a Llama and the shared GPT-2 fixture):
data building, LoRA training (loss, checkpoints, resume), batched greedy decoding, errors, CLI."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import InputError, ModelError, ParseError
from kgreason.models import reader as reader_mod
from kgreason.models.reader import NeuralReader, Proposal, load_reader
from kgreason.models.reader_data import (
    build_reader_data,
    crowd_examples,
    parses_cleanly,
    prompt,
    read_sentences,
    rename,
    same_reading,
    source_order,
    synthetic_examples,
)
from kgreason.models.reader_training import ReaderTrainConfig, train_reader

# crowd-style sentences written for these tests (not ParaRules sentences)
ROWS = [
    {"theory": "T1", "sentence": "Bob sure is round, and he is big too.", "templated": "Bob is big. Bob is round."},
    {"theory": "T1", "sentence": "People who are young are also blue.",
     "templated": "If someone is young then they are blue."},
    {"theory": "T2", "sentence": "That guy Fred is kind and nice.", "templated": "Fred is nice. Fred is kind."},
    {"theory": "T2", "sentence": "Cold, rough people tend to be green.",
     "templated": "If someone is rough and cold then they are green."},
    {"theory": "T3", "sentence": "Anne seems to be red.", "templated": "Anne is red."},
    {"theory": "T3", "sentence": "A young person who is big is quite kind.",
     "templated": "If someone is big and young then they are kind."},
    {"theory": "T4", "sentence": "Everyone knows Gary is nice and cold.", "templated": "Gary is cold. Gary is nice."},
    {"theory": "T4", "sentence": "Erin, who is green, is also rough.", "templated": "Erin is rough. Erin is green."},
]
SENTENCES = ["Bob is big.", "", "Is the bear big?", "If someone is young then they are blue.",
             "That guy Fred is kind and nice."]


@pytest.fixture(scope="module")
def tiny_llama_dir(tmp_path_factory) -> Path:
    """A 2-layer Llama (grouped-query attention, tied embeddings) with a byte BPE trained here."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    corpus = [prompt(r["sentence"]) + r["templated"] for r in ROWS] + SENTENCES
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(corpus * 4, vocab_size=400, min_frequency=1, special_tokens=["<|endoftext|>"])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe._tokenizer, eos_token="<|endoftext|>",
                                        bos_token="<|endoftext|>")
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                         eos_token_id=tokenizer.eos_token_id, bos_token_id=tokenizer.eos_token_id,
                         tie_word_embeddings=True, initializer_range=0.2)
    torch.manual_seed(0)
    out = tmp_path_factory.mktemp("tiny_llama") / "model"
    LlamaForCausalLM(config).save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def tiny_data():
    return build_reader_data(ROWS, seed=1, val_theories=1)


@pytest.fixture(scope="module")
def trained_run(tiny_llama_dir, tiny_data, tmp_path_factory) -> Path:
    """30 steps of the real training loop; validation = a fixed slice of the training data."""
    out = tmp_path_factory.mktemp("reader_run") / "run"
    train = tiny_data.train[:24]
    cfg = ReaderTrainConfig(base=str(tiny_llama_dir), output_dir=str(out), batch_size=8, lr=3e-2, max_steps=30,
                            eval_every=10, device="cpu", max_length=96)
    result = train_reader(cfg, train, train[:8], progress=False, data_info={"test": True})
    assert result.steps == 30 and result.device == "cpu"
    assert result.examples_seen == result.history[-1]["examples_seen"] > 30
    return out


# ----------------------------------------------------------------------------------------- data
def test_source_order_follows_the_sentence():
    assert source_order("Bob sure is round, and he is big too.", "Bob is big. Bob is round.") == \
        "Bob is round. Bob is big."
    assert source_order("Cold, rough people tend to be green.", "If someone is rough and cold then they are green.") \
        == "If someone is cold and rough then they are green."


def test_renaming_is_consistent_and_only_swaps_words_the_sentence_spells_out():
    rng = random.Random(0)
    swapped = 0
    for _ in range(40):
        for row in ROWS:
            target = source_order(row["sentence"], row["templated"])
            pair = rename(row["sentence"], target, rng)
            if pair is None:
                continue
            source, new_target = pair
            swapped += new_target != target
            assert parses_cleanly(new_target), new_target
            # every name and attribute of the reading can be copied from the sentence
            for word in {w for s in new_target.split(". ") for w in s.rstrip(".").split()} - {
                    "If", "someone", "is", "and", "then", "they", "are"}:
                assert word.lower() in source.lower(), (word, source, new_target)
    assert swapped > 100
    # "kindness" is not "kind": a word the sentence only inflects keeps its name
    _, tgt = rename("Bob's kindness shows.", "Bob is kind.", random.Random(3)) or ("", "Bob is kind.")
    assert "kind." in tgt


def test_synthetic_examples_and_questions_parse_and_keep_negation():
    rng = random.Random(5)
    syn = synthetic_examples(120, rng)
    questions = synthetic_examples(80, rng, questions=True)
    assert len(syn) == 120 and len(questions) == 80
    assert all(parses_cleanly(e.target) for e in syn + questions)
    assert all(e.source.endswith("?") and not e.target.endswith("?") for e in questions)
    assert any(" not " in e.target and ("n't" in e.source or " not " in e.source or "never" in e.source) for e in syn)
    assert any("can be" in e.target and e.source.startswith(("Can you", "Is it safe", "Is it possible"))
               for e in questions)


def test_clause_examples_assert_every_clause_and_leave_the_rest_of_the_mix_alone():
    from kgreason.models.reader_data import build_reader_data, clause_examples

    clauses = clause_examples(60, random.Random(2))
    assert len(clauses) == 60 and all(parses_cleanly(e.target) for e in clauses)
    for e in clauses:  # every adjective the sentence says is in the reading, "not" where it said it
        name = e.source.split()[1 if e.source.startswith(("Because", "Although")) else 0].rstrip(",")
        assert all(s.startswith(f"{name} is ") for s in e.target.split(". "))
        assert ("not" in e.target) == ("not" in e.source)
    assert any("because" in e.source and e.target.count(".") == 3 for e in clauses)
    with_clauses = build_reader_data(ROWS, seed=3)
    without = build_reader_data(ROWS, seed=3, clauses=0.0)
    assert with_clauses.info["kinds"].get("clauses", 0) >= 1 and "clauses" not in without.info["kinds"]
    assert [e for e in with_clauses.train if e.kind != "clauses"] == without.train
    assert with_clauses.val == without.val


def test_build_reader_data_holds_out_whole_theories(tiny_data):
    held = set(tiny_data.info["val_theories"])
    assert len(held) == 1
    held_sentences = {" ".join(r["sentence"].split()) for r in ROWS if r["theory"] in held}
    assert held_sentences <= {e.source for e in tiny_data.val}
    assert not held_sentences & {e.source for e in tiny_data.train}
    assert {"synthetic", "question", "identity"} <= set(tiny_data.info["kinds"])
    crowd = crowd_examples(ROWS, random.Random(0), renamed_share=0.0)
    assert [e.kind for e in crowd] == ["crowd"] * len(ROWS)


def test_same_reading_compares_what_the_parser_reads():
    assert same_reading("If something is cold and young then it is blue.",
                        "If someone is young and cold then they are blue.") == "exact"
    assert same_reading("Bob is round. Bob is big.", "Bob is big. Bob is round.") == "exact"
    assert same_reading("Bob is round.", "Bob is big. Bob is round.") == "wrong_parseable"
    assert same_reading("Bob is not round.", "Bob is round.") == "wrong_parseable"
    assert same_reading("The dog chases the cat.", "The cat chases the dog.") == "wrong_parseable"
    assert same_reading("", "Bob is round.") == "unparseable"


def test_read_sentences_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_sentences(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(ROWS[0]) + "\n{oops\n")
    with pytest.raises(ParseError) as err:
        read_sentences(bad)
    assert err.value.line == 2 and err.value.hint
    bad.write_text(json.dumps({"sentence": "x"}) + "\n")
    with pytest.raises(ParseError, match="templated"):
        read_sentences(bad)


# ------------------------------------------------------------------------------------- training
def test_training_lowers_the_loss_and_writes_checkpoints(trained_run):
    import torch
    from safetensors.torch import load_file

    summary = json.loads((trained_run / "summary.json").read_text())
    losses = [h["loss"] for h in summary["history"]]
    assert [h["step"] for h in summary["history"]] == [10, 20, 30]
    assert losses[-1] < losses[0] - 0.5, losses
    best = trained_run / "best"
    assert {"adapter_config.json", "adapter_model.safetensors", "kgreason_reader.json"} <= {
        p.name for p in best.iterdir()}
    weights = load_file(str(best / "adapter_model.safetensors"))
    assert weights and all(w.dtype == torch.float16 for w in weights.values())
    manifest = json.loads((best / "kgreason_reader.json").read_text())
    assert manifest["kind"] == "reader" and manifest["prompt"] == prompt("{sentence}")
    assert manifest["metrics"]["validation"]["loss"] == min(losses)
    assert (trained_run / "checkpoints" / "checkpoint-30" / "trainer_state.json").exists()


def test_resume_continues_from_last(tiny_llama_dir, tiny_data, tmp_path):
    train = tiny_data.train[:16]
    cfg = ReaderTrainConfig(base=str(tiny_llama_dir), output_dir=str(tmp_path / "r"), batch_size=4, max_steps=2,
                            eval_every=1, device="cpu")
    first = train_reader(cfg, train, train[:4], progress=False)
    assert first.steps == 2
    cfg.max_steps = 4
    again = train_reader(cfg, train, train[:4], resume=tmp_path / "r", progress=False)
    assert again.steps == 4 and [h["step"] for h in again.history] == [1, 2, 3, 4]
    assert again.history[-1]["examples_seen"] > first.examples_seen == first.history[-1]["examples_seen"]
    with pytest.raises(InputError, match="trainer_state"):
        train_reader(cfg, train, train[:4], resume=tmp_path, progress=False)
    # into a new folder (the shipped reader's second run): the budget counts the first run's seconds,
    # the new folder keeps a best checkpoint of its own
    cfg.output_dir, cfg.max_steps = str(tmp_path / "more"), 6
    more = train_reader(cfg, train, train[:4], resume=tmp_path / "r", progress=False)
    assert more.steps == 6 and more.best_metrics["step"] in (5, 6)
    state = json.loads((tmp_path / "more" / "checkpoints" / "checkpoint-6" / "kgreason_trainer.json").read_text())
    earlier = json.loads((tmp_path / "r" / "checkpoints" / "checkpoint-4" / "kgreason_trainer.json").read_text())
    assert state["seconds"] > earlier["seconds"] > 0


# ------------------------------------------------------------------------------------ inference
@pytest.mark.parametrize("dtype", ["float32", None])
def test_propose_one_proposal_per_sentence_same_in_any_batch(trained_run, dtype):
    """float32, and the default (bfloat16 where the CPU computes it natively): the same readings
    alone or in a batch; confidences equal up to the dtype's rounding."""
    reader = NeuralReader(trained_run / "best", device="cpu", dtype=dtype)
    tolerance = 1e-4 if dtype == "float32" else 2e-2
    batched = reader.propose(SENTENCES, batch_size=3)
    single = reader.propose(SENTENCES, batch_size=1)
    assert len(batched) == len(SENTENCES) and all(isinstance(p, Proposal) for p in batched)
    assert batched[1] == Proposal("", 0.0) and tuple(batched[1]) == ("", 0.0)
    assert all(0.0 <= p.confidence <= 1.0 for p in batched)
    assert all(p.text for i, p in enumerate(batched) if i != 1)
    # left padding + KV cache: a sentence reads the same alone or in a batch
    assert [p.text for p in batched] == [p.text for p in single]
    assert all(abs(a.confidence - b.confidence) < tolerance for a, b in zip(batched, single))
    # a run folder works too (its best/ is used)
    alone = NeuralReader(trained_run, device="cpu", dtype=dtype).propose(SENTENCES[:1])[0]
    assert alone.text == batched[0].text and alone.confidence == pytest.approx(batched[0].confidence, abs=tolerance)


def test_decoding_matches_transformers_generate(trained_run):
    """Our KV-cache loop = HF greedy generate (same tokens), and confidence = the geometric mean of
    the chosen tokens' probabilities."""
    import torch

    reader = NeuralReader(trained_run / "best", device="cpu", restrict_vocabulary=False, dtype="float32")
    tok, model = reader._tokenizer, reader._model
    for sentence in SENTENCES[2:4]:
        ids = tok(prompt(sentence), add_special_tokens=False, return_tensors="pt")["input_ids"]
        limit = 16 + 2 * ids.shape[1]
        out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=limit, do_sample=False,
                             eos_token_id=reader._stops.tolist(), pad_token_id=tok.pad_token_id,
                             output_scores=True, return_dict_in_generate=True)
        new = out.sequences[0, ids.shape[1]:]
        logps = [torch.log_softmax(s[0].float(), -1)[t].item() for s, t in zip(out.scores, new)]
        expected = tok.decode(new, skip_special_tokens=True).split("\n", 1)[0]
        got = reader.propose([sentence])[0]
        assert got.text == " ".join(expected.split())
        assert got.confidence == pytest.approx(math.exp(sum(logps) / len(logps)), rel=1e-4)


def test_restricted_decoding_is_generate_with_the_sentences_tokens_only(trained_run):
    """With the output vocabulary restricted (the default), decoding = HF greedy generate allowed
    only the sentence's tokens, confidence = the geometric mean of probabilities renormalized over
    them; a batch reads as single sentences do."""
    import torch

    reader = NeuralReader(trained_run / "best", device="cpu", dtype="float32")
    assert reader.restrict_vocabulary
    tok, model = reader._tokenizer, reader._model
    for sentence in SENTENCES[2:5]:
        allowed = sorted(reader._vocabulary.allowed(sentence))
        ids = tok(prompt(sentence), add_special_tokens=False, return_tensors="pt")["input_ids"]
        out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=16 + 2 * ids.shape[1],
                             do_sample=False, eos_token_id=reader._stops.tolist(), pad_token_id=tok.pad_token_id,
                             prefix_allowed_tokens_fn=lambda _batch, _ids, allowed=allowed: allowed,
                             output_scores=True, return_dict_in_generate=True)
        new = out.sequences[0, ids.shape[1]:]
        assert set(new.tolist()) <= set(allowed)
        logps = [torch.log_softmax(s[0].float(), -1)[t].item() for s, t in zip(out.scores, new)]
        got = reader.propose([sentence])[0]
        assert got.text == " ".join(tok.decode(new, skip_special_tokens=True).split("\n", 1)[0].split())
        assert got.confidence == pytest.approx(math.exp(sum(logps) / len(logps)), rel=1e-4)
    batched = reader.propose(SENTENCES, batch_size=5)
    assert [p.text for p in batched] == [p.text for p in reader.propose(SENTENCES, batch_size=1)]


def test_reader_dtype_choice(trained_run, monkeypatch):
    """auto: bfloat16 on a CPU that computes it natively (else float32); named dtypes are taken as
    given; an unknown one is a ModelError with a hint. Readings in either dtype are proposals."""
    import torch

    from kgreason.models import reader as module

    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: True)
    assert module._dtype("cpu", None) is torch.bfloat16 and module._dtype("cpu", "float32") is torch.float32
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: False)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: False)
    assert module._dtype("cpu", "auto") is None  # the device's default (float32 on CPU)
    with pytest.raises(ModelError, match="dtype"):
        module._dtype("cpu", "int3")
    bf16 = NeuralReader(trained_run / "best", device="cpu", dtype="bfloat16")
    assert bf16.dtype is torch.bfloat16 and len(bf16.propose(SENTENCES)) == len(SENTENCES)


def test_alternatives_branch_at_the_readers_close_calls(trained_run):
    """The greedy reading is among the alternatives; the others are distinct, at most k, best
    first, and each is the greedy continuation after taking a second-best token once."""
    reader = NeuralReader(trained_run / "best", device="cpu")
    greedy = reader.propose(SENTENCES)
    alts = reader.alternatives(SENTENCES, k=3)
    assert len(alts) == len(SENTENCES) and alts[1] == []
    for g, options in zip(greedy, alts):
        if not g.text:
            continue
        texts = [p.text for p in options]
        assert g.text in texts and len(texts) == len(set(texts)) <= 3
        assert [p.confidence for p in options] == sorted((p.confidence for p in options), reverse=True)
    # every step of the greedy decode records its close call (second-best token, margin ≥ 0)
    decoded = reader._greedy([SENTENCES[0]], 4, branches=True)[0]
    assert len(decoded.seconds) == len(decoded.tokens)
    assert all(margin >= 0 for margin, *_ in decoded.seconds)


def test_output_vocabulary_covers_what_a_reading_says(tiny_llama_dir):
    """A reading may use its sentence's words with their inflections and number, and the
    controlled language's words; not other words."""
    from transformers import AutoTokenizer

    from kgreason.models.reader_vocabulary import OutputVocabulary, word_forms

    assert {"eaten", "eat", "eats"} <= word_forms("eat") and "mouse" in word_forms("mice")
    assert {"person", "people"} <= word_forms("people")
    tok = AutoTokenizer.from_pretrained(tiny_llama_dir)
    vocab = OutputVocabulary(tok)

    def ids(text):
        return set(tok(text, add_special_tokens=False)["input_ids"])

    for sentence, reading in [("Can you eat raw chicken?", "Raw chicken can be eaten."),
                              ("People who are young are also blue.", "If someone is young then they are blue."),
                              ("Do mice chase cats?", "Mice chase cats."),
                              ("Bob isn't round.", "Bob is not round.")]:
        assert ids(reading) <= vocab.allowed(sentence), reading
    assert not ids(" zebra") <= vocab.allowed("Bob is round.")


def test_gpt2_family_trains_and_reads(tiny_gpt2_dir, tiny_data, tmp_path):
    cfg = ReaderTrainConfig(base=str(tiny_gpt2_dir), output_dir=str(tmp_path / "g"), batch_size=4, max_steps=2,
                            eval_every=2, device="cpu")
    train_reader(cfg, tiny_data.train[:8], tiny_data.train[:4], progress=False)
    manifest = json.loads((tmp_path / "g" / "best" / "kgreason_reader.json").read_text())
    assert set(manifest["lora_targets"]) <= {"c_attn", "c_proj", "c_fc"}
    props = NeuralReader(tmp_path / "g" / "best", device="cpu").propose(["Bob is big.", "Is Bob big?"])
    assert len(props) == 2 and all(0.0 <= p.confidence <= 1.0 for p in props)


def test_load_reader_caches_per_model_and_device(trained_run):
    first = load_reader(trained_run / "best", device="cpu")
    assert load_reader(str(trained_run / "best"), device="cpu") is first


def test_bad_reader_paths_raise_model_error_with_hint(tmp_path, trained_run, monkeypatch):
    with pytest.raises(ModelError, match="does not exist") as err:
        NeuralReader(tmp_path / "nope")
    assert "kgreason train reader" in err.value.hint
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(ModelError, match="not a reader folder"):
        NeuralReader(tmp_path / "file.txt")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="no adapter_config.json"):
        NeuralReader(tmp_path / "empty")
    monkeypatch.setattr(reader_mod, "DEFAULT_READER_DIR", tmp_path / "empty")
    with pytest.raises(ModelError, match="shipped neural reader is missing") as err:
        NeuralReader("default")
    assert "kgreason train reader" in err.value.hint
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in (trained_run / "best").iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    (broken / "adapter_model.safetensors").write_bytes(b"not weights at all")
    with pytest.raises(ModelError) as err:
        NeuralReader(broken, device="cpu")
    assert err.value.hint


# ------------------------------------------------------------------------------------------- CLI
def test_cli_train_reader_and_reader_data(tiny_llama_dir, tmp_path):
    data = tmp_path / "rows.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    runner = CliRunner()
    res = runner.invoke(app, ["train", "reader-data", "--data", str(data), "--out", str(tmp_path / "d"), "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.stdout)["info"]
    lines = (tmp_path / "d" / "train.jsonl").read_text().splitlines()
    assert len(lines) == info["train_examples"] and info["kinds"]["synthetic"] >= 1
    assert len(info["val_theories"]) == 3  # of the 4 theories, at most all but one are held out
    res = runner.invoke(app, ["train", "reader", "--base", str(tiny_llama_dir), "--data", str(data), "--out",
                              str(tmp_path / "cli"), "--max-steps", "2", "--batch-size", "4", "--eval-every", "1",
                              "--device", "cpu", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["steps"] == 2 and "loss" in summary["best_metrics"]
    assert (tmp_path / "cli" / "best" / "adapter_model.safetensors").exists()
    res = runner.invoke(app, ["train", "reader", "--data", str(tmp_path / "missing.jsonl"), "--out",
                              str(tmp_path / "x"), "--json"])
    assert res.exit_code == 2 and "not found" in res.output


def test_propose_stops_at_its_deadline_and_reads_nothing_in_part(trained_run, monkeypatch):
    """Issue 24, item 6: the reader's work is bounded in time; a sentence not read by the deadline
    gets an empty proposal (and is listed in ``stopped``), never a reading cut short."""
    import time as time_module

    reader = NeuralReader(trained_run / "best", device="cpu", dtype="float32")
    full = reader.propose(SENTENCES)
    none = reader.propose(SENTENCES, seconds=1e-9)  # over before the first batch starts
    assert [p.text for p in none] == [""] * len(SENTENCES)
    assert sorted(reader.stopped) == sorted(s for s in SENTENCES if s)
    # over after the first decoding step: the clock jumps once decoding has begun
    real = time_module.monotonic
    calls = {"n": 0}

    def clock():
        calls["n"] += 1
        return real() + (0 if calls["n"] <= 2 else 1000)

    monkeypatch.setattr(time_module, "monotonic", clock)
    cut = reader.propose(SENTENCES, seconds=5)
    monkeypatch.undo()
    assert all(p.text in ("", f.text) for p, f in zip(cut, full))
    assert reader.stopped and all(p.text == "" for p, s in zip(cut, SENTENCES) if s in reader.stopped)
    again = reader.propose(SENTENCES, seconds=60)
    assert [p.text for p in again] == [p.text for p in full] and reader.stopped == []
