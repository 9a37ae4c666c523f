"""Generator benchmark: SmolLM2-135M-Instruct load time cold (GGUF → transformers conversion) and
warm (from the converted cache), generation latency, and how often the verifier accepts the text.

    python benchmarks/models_generator.py [--model smollm2] [--out results.json]

Cold uses a fresh temporary KGREASON_CACHE so the conversion really runs.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

CASES = [
    ("Can penguins fly?", "false", ["Penguins are birds.", "Penguins cannot fly."]),
    ("Is Paris in Europe?", "true", ["Paris is in France.", "France is in Europe.", "Paris is in Europe."]),
    ("Can Tweety fly?", "true", ["Tweety is a bird.", "Birds can fly.", "Tweety can fly."]),
    ("Does Bob like the cat?", "unknown", ["Bob is kind.", "The cat is furry."]),
    ("Is a whale a fish?", "false", ["A whale is a mammal.", "Nothing is both a mammal and a fish.",
                                     "A whale is not a fish."]),
    ("Can apples be eaten raw?", "true", ["Apple is a kind of fruit.", "Fruit can be eaten raw.",
                                          "Apple can be eaten raw."]),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=None)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    from kgreason.models.generate import Generator

    result: dict = {"model": args.model or "smollm2"}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["KGREASON_CACHE"] = tmp
        t = time.perf_counter()
        Generator(args.model, verifier=False).warm_up()
        result["load_seconds_cold"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        gen = Generator(args.model).warm_up()
        result["load_seconds_warm"] = round(time.perf_counter() - t, 2)
        gen.verifier.warm_up()
        answers = []
        for question, verdict, facts in CASES:
            t = time.perf_counter()
            ans = gen.generate(question, verdict, facts)
            answers.append({"question": question, "verdict": verdict, "seconds": round(time.perf_counter() - t, 2),
                            **ans.to_json()})
        result["device"] = gen.device
        result["answers"] = answers
        result["verified_share"] = f"{sum(not a['used_template'] for a in answers)}/{len(answers)}"
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
