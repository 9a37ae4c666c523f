"""The on-disk index: round trip, manifest, atomic generations, incremental changes, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from kgreason.errors import IndexMismatchError
from kgreason.retrieval.facts import FactRecord, collect_facts, collect_labels
from kgreason.retrieval.index import MANIFEST, FactIndex


@pytest.fixture()
def built(food_kg, tiny_embedder, tmp_path):
    index = FactIndex.build(collect_facts(food_kg), collect_labels(food_kg), tiny_embedder,
                            graph_fingerprint=food_kg.fingerprint())
    index.save(tmp_path / "idx")
    return index, tmp_path / "idx"


def _top(index, embedder, text, k=3):
    return index.facts.search(embedder.encode([text]), k)[0]


def test_round_trip_gives_the_same_results(built, tiny_embedder):
    index, folder = built
    loaded = FactIndex.load(folder, embedder=tiny_embedder)
    assert loaded.facts.mmapped  # opened memory-mapped
    for text in ("penguin cannot fly", "apple is a kind of fruit"):
        got, want = _top(loaded, tiny_embedder, text), _top(index, tiny_embedder, text)
        assert [i for i, _ in got] == [i for i, _ in want]
        assert loaded.fact(got[0][0]).text == text and got[0][1] == pytest.approx(1.0, abs=1e-5)
    assert {r.text for r in loaded.labels.records.values()} >= {"penguin", "eaten raw", "cannot"}


def test_manifest_says_what_built_it(built, tiny_embedder, food_kg):
    _, folder = built
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["embedder"] == {"id": tiny_embedder.id, "fingerprint": tiny_embedder.fingerprint}
    assert manifest["dim"] == 32 and manifest["metric"] == "inner_product"
    assert manifest["graph_fingerprint"] == food_kg.fingerprint()
    assert manifest["stores"]["facts"]["count"] == 12 and manifest["kgreason_version"]
    assert sorted(p.name.rsplit(".", 1)[1] for p in folder.iterdir()) == ["faiss", "faiss", "json", "jsonl", "jsonl",
                                                                         "lock"]


def test_incremental_add_and_remove_on_a_memory_mapped_index(built, tiny_embedder):
    _, folder = built
    index = FactIndex.load(folder, embedder=tiny_embedder)
    before = {i: r.text for i, r in index.facts.records.items()}
    new = FactRecord(("<urn:x:Kiwi>", "<urn:x:cannot>", "<urn:x:Fly>"), "kiwi cannot fly")
    assert index.add_facts([new, new], tiny_embedder) == 1
    assert index.add_facts([new], tiny_embedder) == 0  # already there
    gone = next(r for r in index.facts.records.values() if r.text == "bird can fly")
    assert index.remove_facts([gone.identity]) == 1
    index.save(folder)
    again = FactIndex.load(folder, embedder=tiny_embedder)
    texts = {i: r.text for i, r in again.facts.records.items()}
    assert "kiwi cannot fly" in texts.values() and "bird can fly" not in texts.values()
    # untouched facts keep their ids: nothing was re-embedded or renumbered
    assert {i: t for i, t in texts.items() if i in before} == {i: t for i, t in before.items() if t != "bird can fly"}
    assert again.fact(_top(again, tiny_embedder, "kiwi cannot fly", 1)[0][0]).text == "kiwi cannot fly"
    assert len([p for p in folder.iterdir() if p.suffix == ".faiss"]) == 2  # old generation deleted


def test_ivf_index_above_the_threshold_supports_search_and_removal(food_kg, tiny_embedder, tmp_path):
    facts = collect_facts(food_kg)
    index = FactIndex.build(facts, [], tiny_embedder, graph_fingerprint="x", approximate_from=5)
    assert index.facts.index_type == "ivf"
    index.save(tmp_path / "ivf")
    loaded = FactIndex.load(tmp_path / "ivf", embedder=tiny_embedder)
    assert loaded.facts.index_type == "ivf" and loaded.facts.nprobe == 1  # 12 facts: one list
    top = _top(loaded, tiny_embedder, "penguin eats fish", 1)[0]
    assert loaded.fact(top[0]).text == "penguin eats fish"
    vec = loaded.facts.vectors([top[0]])
    assert float(vec[0] @ tiny_embedder.encode(["penguin eats fish"])[0]) == pytest.approx(1.0, abs=1e-5)
    assert loaded.remove_facts([loaded.fact(top[0]).identity]) == 1
    assert len(loaded.facts) == len(facts) - 1


def test_truncated_index_file_is_an_error_and_is_left_alone(built, tiny_embedder):
    _, folder = built
    faiss_file = next(p for p in folder.glob("facts-*.faiss"))
    data = faiss_file.read_bytes()
    faiss_file.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexMismatchError, match="truncated"):
        FactIndex.load(folder, embedder=tiny_embedder)
    assert faiss_file.read_bytes() == data[: len(data) // 2]


def test_corrupt_index_file_of_the_right_size_is_an_error(built, tiny_embedder):
    _, folder = built
    faiss_file = next(p for p in folder.glob("facts-*.faiss"))
    faiss_file.write_bytes(b"\0" * faiss_file.stat().st_size)
    with pytest.raises(IndexMismatchError, match="sha256 differs"):
        FactIndex.load(folder, embedder=tiny_embedder)


def test_edited_records_or_manifest_are_errors(built, tiny_embedder):
    _, folder = built
    items = next(folder.glob("facts-*.jsonl"))
    items.write_text(items.read_text().replace("penguin cannot fly", "penguin can fly"))
    with pytest.raises(IndexMismatchError, match="does not match the manifest"):
        FactIndex.load(folder)
    (folder / MANIFEST).write_text("{not json")
    with pytest.raises(IndexMismatchError, match="not valid JSON"):
        FactIndex.load(folder)
    (folder / MANIFEST).write_text(json.dumps({"format_version": 99}))
    with pytest.raises(IndexMismatchError, match="unsupported index format"):
        FactIndex.load(folder)


def test_manifest_count_mismatch_is_an_error(built, tiny_embedder):
    _, folder = built
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["stores"]["facts"]["count"] += 1
    (folder / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match="the manifest says 13"):
        FactIndex.load(folder)


def test_index_from_another_embedder_is_refused(built, tmp_path, tiny_model_dir):
    import shutil

    from kgreason.retrieval import Embedder

    _, folder = built
    other = tmp_path / "other_model"
    shutil.copytree(tiny_model_dir, other)
    cfg = other / "config_sentence_transformers.json"
    cfg.write_text(cfg.read_text().replace("{", '{"note": "retrained",', 1))
    with pytest.raises(IndexMismatchError, match="built with embedder"):
        FactIndex.load(folder, embedder=Embedder(other))


def test_no_pickle_anywhere(built):
    _, folder = built
    for path in folder.iterdir():
        assert path.name.rsplit(".", 1)[1] in ("json", "jsonl", "faiss", "lock")
        if path.suffix == ".jsonl":
            assert all(json.loads(line)["text"] for line in path.read_text().splitlines())


def test_vectors_are_unit_length(tiny_embedder):
    v = tiny_embedder.encode(["a", "penguin cannot fly", "x " * 40])
    assert v.dtype == np.float32 and v.shape == (3, 32)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_concurrent_saves_of_one_folder_leave_a_loadable_index(built, tiny_embedder):
    from concurrent.futures import ThreadPoolExecutor

    index, folder = built
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: FactIndex(dict(index.manifest), index.stores).save(folder), range(8)))
    loaded = FactIndex.load(folder, embedder=tiny_embedder)
    assert len(loaded.facts) == 12
    assert len(list(folder.glob("*.faiss"))) == 2  # exactly one generation left
