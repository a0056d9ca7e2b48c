"""Other ways of combining the supervised tagger's members, on MAMS-ACSA (full train split).

    .venv/bin/python benchmarks/voice_combinations.py [--data DIR] [--seeds 5] [--folds 5]

The full-train target is macro-F1 ≥ 0.88 on val; the product's ensemble reaches 0.876 ± 0.003
over five seeds (``benchmarks/voice.py``). The product sums its members' probabilities with one
set of weights, chosen on a 0.1 grid by 3-fold cross-validation on train, and tags at 0.5. This
script asks whether a different way of combining the *same* members does better. For each seed
(the attention network's and the CV split's), it fits the product's tagger on train, takes each
member's probabilities on val, and each member's out-of-fold probabilities on train from
``--folds``-fold cross-validation (the members refitted on the other folds, as the product's
own weight choice does). Every combination is chosen on those out-of-fold probabilities only,
then scored once on val:

* ``product``: the tagger as shipped (its own 3-fold weights);
* ``weights, k-fold``: one set of weights on the 0.1 grid, chosen on the ``--folds`` folds;
* ``weights, 0.05 grid``: the same on a 0.05 grid;
* ``logits``: the weights applied to the members' logits instead of their probabilities;
* ``weights per attribute``: each attribute its own weights (best binary F1);
* ``threshold per attribute``: the k-fold weights, each attribute its own threshold
  (0.30 to 0.70 in steps of 0.05);
* ``stacking``: per attribute, a logistic regression (classes balanced, C = 0.1) over the
  logits of its own members, or of every member for every attribute;
* ``n networks``: the attention network averaged over n seeds (this seed and the next ones),
  then one set of k-fold weights.

Every MAMS sentence has at least two attributes, so every combination tags at least the two
most probable, as the product does. About 7 minutes per seed on two cores. Nothing is tuned
on val.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))
from voice import DEFAULT_DATA, LABELS, ROOT, load_split, macro_f1

sys.path.insert(0, str(ROOT / "src"))
from outsidein.core.voice_tagging import AttributeTagger
from outsidein.io.voice_files import read_attributes
from outsidein.io.voice_model import load_encoder

Scores = dict[str, np.ndarray]


def member_scores(
    train: list[str], y: np.ndarray, val: list[str], seed: int, folds: int
) -> tuple[Scores, Scores, np.ndarray, int]:
    """Each member's val and out-of-fold train probabilities, the product's val tags and the
    minimum number of tags per sentence."""
    attributes = read_attributes(ROOT / "benchmarks" / "mams_attributes.yaml")
    labels = [[LABELS[j] for j in np.flatnonzero(row)] for row in y]
    tagger = AttributeTagger(attributes, load_encoder(), random_state=seed).fit(train, labels)
    batch = tagger.prepare(val)
    on_val = tagger.member_scores(batch)
    fold = np.random.default_rng(100 + seed).permutation(len(train)) % folds
    out_of_fold = {name: np.zeros(y.shape) for name in on_val}
    for k in range(folds):
        fit, held = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        members = tagger._fit_members(tagger.prepare([train[i] for i in fit]), y[fit])
        scores = tagger._member_scores(tagger.prepare([train[i] for i in held]), members)
        for name, probability in scores.items():
            out_of_fold[name][held] = probability
    return on_val, out_of_fold, tagger.predict_indicator(batch), tagger.min_labels_


def decide(scores: np.ndarray, at_least: int, threshold: float | np.ndarray = 0.5) -> np.ndarray:
    tags = (scores >= threshold).astype(np.int64)
    best = np.argsort(-scores, axis=1, kind="stable")[:, :at_least]
    tags[np.arange(len(scores))[:, None], best] = 1
    return tags


def simplex(size: int, steps: int) -> list[tuple[float, ...]]:
    """Every ``size`` non-negative multiples of 1/steps that sum to one."""

    def parts(total: int, slots: int) -> list[tuple[int, ...]]:
        if slots == 1:
            return [(total,)]
        return [
            (first, *rest) for first in range(total + 1) for rest in parts(total - first, slots - 1)
        ]

    return [tuple(p / steps for p in split) for split in parts(steps, size)]


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def mix(scores: Scores, weights: tuple[float, ...]) -> np.ndarray:
    return np.asarray(sum(w * s for w, s in zip(weights, scores.values(), strict=True)))


def best_weights(
    scores: Scores, y: np.ndarray, at_least: int, steps: int = 10, threshold: float = 0.5
) -> tuple[float, ...]:
    grid = simplex(len(scores), steps)
    return max(grid, key=lambda w: macro_f1(y, decide(mix(scores, w), at_least, threshold)))


def combinations(
    on_val: Scores, oof: Scores, y: np.ndarray, at_least: int, networks: list[tuple[Scores, Scores]]
) -> dict[str, Callable[[], np.ndarray]]:
    """Name -> the val tags of that combination (chosen on ``oof`` only)."""

    def weighted(steps: int) -> np.ndarray:
        return decide(mix(on_val, best_weights(oof, y, at_least, steps)), at_least)

    def logits() -> np.ndarray:
        lo, lv = {n: logit(s) for n, s in oof.items()}, {n: logit(s) for n, s in on_val.items()}
        return decide(mix(lv, best_weights(lo, y, at_least, threshold=0.0)), at_least, 0.0)

    def per_attribute_weights() -> np.ndarray:
        grid = simplex(len(oof), 10)
        out = np.zeros((len(next(iter(on_val.values()))), y.shape[1]))
        for j in range(y.shape[1]):
            one = {n: s[:, [j]] for n, s in oof.items()}
            w = max(grid, key=lambda w: macro_f1(y[:, [j]], (mix(one, w) >= 0.5).astype(int)))
            out[:, j] = mix({n: s[:, j] for n, s in on_val.items()}, w)
        return decide(out, at_least)

    def per_attribute_threshold() -> np.ndarray:
        w = best_weights(oof, y, at_least)
        train_scores, val_scores = mix(oof, w), mix(on_val, w)
        candidates = np.arange(0.30, 0.701, 0.05)
        thresholds = np.array(
            [
                max(candidates, key=lambda t: macro_f1(y[:, [j]], (train_scores[:, [j]] >= t) * 1))
                for j in range(y.shape[1])
            ]
        )
        return decide(val_scores, at_least, thresholds)

    def stacking(own: bool) -> np.ndarray:
        out = np.zeros((len(next(iter(on_val.values()))), y.shape[1]))
        for j in range(y.shape[1]):
            columns = [j] if own else slice(None)
            x_train = np.hstack([logit(s[:, columns]) for s in oof.values()])
            x_val = np.hstack([logit(s[:, columns]) for s in on_val.values()])
            model = LogisticRegression(C=0.1, class_weight="balanced", max_iter=2000)
            out[:, j] = model.fit(x_train, y[:, j]).predict_proba(x_val)[:, 1]
        return decide(out, at_least)

    def averaged(count: int) -> np.ndarray:
        v, o = dict(on_val), dict(oof)
        v["finetuned"] = np.mean([val["finetuned"] for val, _ in networks[:count]], axis=0)
        o["finetuned"] = np.mean([train["finetuned"] for _, train in networks[:count]], axis=0)
        return decide(mix(v, best_weights(o, y, at_least)), at_least)

    found: dict[str, Callable[[], np.ndarray]] = {
        "weights, k-fold": lambda: weighted(10),
        "weights, 0.05 grid": lambda: weighted(20),
        "logits": logits,
        "weights per attribute": per_attribute_weights,
        "threshold per attribute": per_attribute_threshold,
        "stacking, own members": lambda: stacking(True),
        "stacking, all members": lambda: stacking(False),
    }
    if "finetuned" in on_val:
        for count in range(2, len(networks) + 1):
            found[f"{count} networks"] = lambda count=count: averaged(count)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    train, y, _ = load_split(args.data, "train")
    val, y_val, _ = load_split(args.data, "val")
    runs = []
    for seed in range(args.seeds):
        runs.append(member_scores(train, y, val, seed, args.folds))
        print(f"seed {seed}: fitted", flush=True)
    figures: dict[str, list[float]] = {}
    for seed, (on_val, oof, product, at_least) in enumerate(runs):
        figures.setdefault("product", []).append(macro_f1(y_val, product))
        others = [runs[(seed + i) % len(runs)] for i in range(len(runs))]
        networks = [(run[0], run[1]) for run in others]
        for name, tags in combinations(on_val, oof, y, at_least, networks).items():
            figures.setdefault(name, []).append(macro_f1(y_val, tags()))
    print(
        f"\nval macro-F1 over seeds 0-{args.seeds - 1} (target 0.88), choices on {args.folds}-fold"
    )
    for name, values in figures.items():
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        listed = ", ".join(f"{v:.3f}" for v in values)
        print(f"  {name:26s} {statistics.mean(values):.3f} ± {spread:.3f}  ({listed})")


if __name__ == "__main__":
    main()
