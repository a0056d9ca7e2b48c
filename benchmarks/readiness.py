"""Benchmark: readiness and stage scoring of 100,000 respondents x 60 items with bootstrap CIs.

Target: at most 1 s on 2 cores. Peer: a naive pandas implementation of the same core outputs
(12 aspect means with bootstrap percentile CIs, the four parity indices with bootstrap CIs,
Cronbach's alpha per scale), resampling rows with ``DataFrame.sample`` as one would in a
notebook. Both run here, in the same process, on the same data; the script prints the times,
the ratio, and checks that the point estimates agree.

    python benchmarks/readiness.py [--respondents 100000] [--resamples 2000]
                                   [--peer-resamples 2000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import polars as pl

from outsidein.core.instrument import Instrument, Role
from outsidein.core.readiness import Answers, ReadinessPolicy, assess_readiness
from outsidein.core.stages import diagnose_stage
from outsidein.instruments import load_instrument


def generate(instrument: Instrument, respondents: int, items: int, seed: int) -> pl.DataFrame:
    """Likert answers from a latent-trait model (vectorised), ``items`` items of the instrument."""
    rng = np.random.default_rng(seed)
    chosen = instrument.items[:items]
    managers = respondents // 5
    roles = np.array(["manager"] * managers + ["operational"] * (respondents - managers))
    person = rng.normal(0, 0.4, respondents)
    columns: dict[str, np.ndarray] = {}
    traits: dict[str, np.ndarray] = {}
    for item in chosen:
        key = f"{item.question}-{item.aspect}-{item.side}"
        if key not in traits:
            traits[key] = rng.normal(0, 0.4, respondents)
        latent = 5.4 + person + traits[key] + rng.normal(0, 0.7, respondents)
        values = np.clip(np.rint(latent), 1, 7)
        asked = np.isin(roles, [str(r) for r in item.roles])
        values[~asked | (rng.random(respondents) < 0.02)] = np.nan
        columns[item.id] = values
    return pl.DataFrame(
        {
            "respondent_id": np.arange(respondents).astype(str),
            "role": roles,
            "department": rng.choice(["Sales", "Service", "Ops", "R&D", "Finance"], respondents),
            **columns,
        },
        nan_to_null=True,
    )


def outsidein_run(frame: pl.DataFrame, instrument: Instrument, resamples: int) -> dict[str, float]:
    policy = ReadinessPolicy(resamples=resamples)
    answers = Answers.from_frame(frame, instrument)
    readiness = assess_readiness(answers, instrument, policy=policy, seed=1)
    diagnose_stage(answers, instrument, policy=policy, seed=2)
    return {
        f"{a.question}-{a.aspect}-{a.role}": a.score.estimate
        for a in readiness.aspects
        if a.score is not None
    }


def pandas_run(frame: pd.DataFrame, instrument: Instrument, resamples: int) -> dict[str, float]:
    """What a careful analyst would write in pandas: clear, row-resampling, no tricks."""
    rng = np.random.default_rng(1)
    out: dict[str, float] = {}
    for item in instrument.items:
        if item.reverse and item.id in frame:
            frame[item.id] = item.scale_min + item.scale_max - frame[item.id]
    for question in ("P", "Q"):
        for aspect in ("U", "M", "O"):
            for role in (Role.MANAGER, Role.OPERATIONAL):
                side = "customer" if aspect == "U" else None
                items = [
                    i.id
                    for i in instrument.items_for(
                        question=question, aspect=aspect, role=role, side=side
                    )
                    if i.id in frame
                ]
                group = frame[frame["role"] == str(role)]
                answered = group[items].notna().sum(axis=1)
                score = group[items].mean(axis=1).where(answered >= len(items) / 2).dropna()
                boots = [
                    score.sample(frac=1.0, replace=True, random_state=rng).mean()
                    for _ in range(resamples)
                ]
                np.percentile(boots, [2.5, 97.5])
                out[f"{question}-{aspect}-{role}"] = float(score.mean())
                if aspect == "U":
                    own_items = [
                        i.id
                        for i in instrument.items_for(
                            question=question, aspect=aspect, role=role, side="own"
                        )
                        if i.id in frame
                    ]
                    own = group[own_items].mean(axis=1)
                    pair = pd.DataFrame({"c": group[items].mean(axis=1), "o": own}).dropna()
                    ratios = []
                    for _ in range(resamples):
                        s = pair.sample(frac=1.0, replace=True, random_state=rng)
                        ratios.append(s["c"].mean() / s["o"].mean())
                    np.percentile(ratios, [2.5, 97.5])
            scale = [
                i.id
                for i in instrument.items_for(question=question, aspect=aspect)
                if i.id in frame and len(i.roles) == 2
            ]
            complete = frame[scale].dropna()
            k = len(scale)
            k / (k - 1) * (1 - complete.var().sum() / complete.sum(axis=1).var())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=60)
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--peer-resamples", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    instrument = load_instrument()
    frame = generate(instrument, args.respondents, args.items, seed=7)
    used = Instrument(
        version=instrument.version,
        items=instrument.items[: args.items],
        stages=instrument.stages,
        indicators=tuple(
            i
            for i in instrument.indicators
            if all(x in set(instrument.item_ids[: args.items]) for x in i.items)
        ),
        question_text=instrument.question_text,
        aspect_text=instrument.aspect_text,
        failing_text=instrument.failing_text,
    )
    missing = frame.select(pl.exclude("respondent_id", "role", "department")).null_count()
    print(
        f"data: {frame.height:,} respondents x {args.items} items "
        f"({missing.sum_horizontal().item():,} missing answers)"
    )

    outsidein_run(frame, used, 200)  # warm-up: imports, caches
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        ours = outsidein_run(frame, used, args.resamples)
        times.append(time.perf_counter() - start)
    best = min(times)
    print(
        f"outsidein: readiness (12 aspects, parity, gaps, alpha/omega, rwg, departments) + "
        f"stage, {args.resamples} resamples: best {best:.3f} s of {args.repeats} "
        f"(all: {', '.join(f'{t:.3f}' for t in times)}); target <= 1 s"
    )

    pdf = frame.to_pandas()
    start = time.perf_counter()
    theirs = pandas_run(pdf, used, args.peer_resamples)
    peer = time.perf_counter() - start
    print(
        f"naive pandas: 12 aspect CIs + 4 parity CIs + alpha, {args.peer_resamples} resamples: "
        f"{peer:.1f} s"
    )
    scale = args.resamples / args.peer_resamples
    print(
        f"ratio: pandas / outsidein = {peer * scale / best:,.0f}x"
        + (
            f" (pandas time scaled by {scale:g} to {args.resamples} resamples)"
            if scale != 1
            else ""
        )
    )
    worst = max(abs(ours[key] - theirs[key]) for key in theirs)
    print(f"largest difference between the two implementations' aspect means: {worst:.2e}")


if __name__ == "__main__":
    main()
