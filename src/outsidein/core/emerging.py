"""Emerging problems: what customers talk about that no quality attribute covers.

Sentences that no attribute tagged are clustered (k-means on their static sentence vectors,
or on a 50-dimensional LSA of their TF-IDF without the embedding model); each cluster is
described by its most distinctive words by class-based TF-IDF (c-TF-IDF, Grootendorst 2022,
*BERTopic*: a word's frequency in the cluster times ``log(1 + A / f)``, with ``A`` the mean
number of words per cluster and ``f`` the word's frequency in all clusters), and clusters are
ranked by how many negative sentences they hold, then by size. Example quotes are the
sentences nearest the cluster's centre (where each comment weighs the same, however many of its
sentences the cluster holds), one per comment while there are comments enough, with personal
data masked. Each problem also names the attribute its sentences come *nearest* to (the highest
mean affinity, :mod:`outsidein.core.voice_attributes`): a problem near an attribute is often the
attribute in words its definition lacks (add them as example phrases, or label a few
sentences), a problem near none is a new subject.

Clusters are counted in comments as well as sentences, because one customer writing at length
is still one customer: a cluster whose sentences come from fewer than ``min_comments`` comments
(the anonymity threshold) is withheld, with its words and quotes, and so is any label word that
fewer than ``min_comments`` of the cluster's comments use (as for customers' words,
:mod:`outsidein.core.voice_words`): it could point at the few customers who wrote it.

When the comments have dates, each problem also says whether it is *growing*: the share of
comments that raise it in the last ``recent_days`` (91 by default, a quarter) against the share
before, their ratio with a 95% confidence interval (Koopman's score interval for a ratio of two
independent proportions, which Fagerland, Lydersen & Laake 2015 recommend, as statsmodels
computes it), and growing when the interval lies above 1; it is withheld when either window
holds fewer than ``min_comments`` comments, since a share of a handful of comments speaks of
those few customers.

>>> texts = ["The parking lot was full again."] * 6 + ["Loved the new app, so easy."] * 6
>>> polarity = [Polarity.NEGATIVE] * 6 + [Polarity.POSITIVE] * 6
>>> problems = find_emerging_problems(texts, polarity, n_clusters=2, random_state=0)
>>> sorted(problems[0].terms), problems[0].negative_share
(['full', 'lot', 'parking'], 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from statsmodels.stats.proportion import confint_proportions_2indep

from outsidein.core.sentiment import POLARITIES, Polarity
from outsidein.core.voice import VoiceAnalysis
from outsidein.core.voice_features import FloatArray, LexicalVectorizer, segment_reduce, unit_rows
from outsidein.core.voice_tagging import AttributeTagger
from outsidein.core.voice_text import (
    STOPWORDS,
    distinctive_words,
    mask_personal_data,
    tokenize,
    tokenize_batch,
    without_personal_data,
)

_LSA_DIMENSIONS = 50
RECENT_DAYS = 91
MIN_COMMENTS = 5  # the default anonymity threshold (core.quality.DEFAULT_MIN_GROUP)
_CANDIDATES = 4  # distinctive words considered per label word: rare ones are withheld


@dataclass(frozen=True, slots=True, kw_only=True)
class Growth:
    """How often a problem came up lately against before: comments that raise it, out of the
    dated comments of each window, and the ratio of the two shares with its 95% CI."""

    since: date  # first day of the recent window, which ends on the latest comment's day
    recent: int
    recent_comments: int
    earlier: int
    earlier_comments: int
    ci_low: float
    ci_high: float  # inf when it never came up before

    @property
    def ratio(self) -> float:
        """The recent share over the earlier one; inf when it never came up before."""
        if self.earlier == 0:
            return math.inf
        return (self.recent / self.recent_comments) / (self.earlier / self.earlier_comments)

    @property
    def growing(self) -> bool:
        """Raised by a larger share of comments lately, beyond chance (CI above 1)."""
        return self.ci_low > 1.0

    def to_dict(self) -> dict[str, object]:
        return {
            "since": self.since.isoformat(),
            "recent": self.recent,
            "recent_comments": self.recent_comments,
            "earlier": self.earlier,
            "earlier_comments": self.earlier_comments,
            "ratio": None if math.isinf(self.ratio) else self.ratio,
            "ci_low": self.ci_low,
            "ci_high": None if math.isinf(self.ci_high) else self.ci_high,
            "growing": self.growing,
        }


@dataclass(frozen=True, slots=True)
class Windows:
    """Which comments fall in the recent window (dated ``since`` or later) and which before it
    (dated earlier); undated comments fall in neither."""

    since: date
    recent: npt.NDArray[np.bool_]
    earlier: npt.NDArray[np.bool_]

    @classmethod
    def split(cls, dates: Sequence[date | None], since: date) -> Windows:
        dated = np.array([d is not None for d in dates], dtype=np.bool_)
        recent = np.array([d is not None and d >= since for d in dates], dtype=np.bool_)
        return cls(since=since, recent=recent, earlier=dated & ~recent)


def problem_growth(
    raised: npt.NDArray[np.bool_], windows: Windows, *, min_group: int = 1
) -> Growth | None:
    """The :class:`Growth` of a problem ``raised`` by some comments (one flag per comment, in
    the order of ``windows``).

    None when either window has fewer than ``min_group`` comments (the anonymity threshold;
    none at all by default), or the problem came up in neither.
    """
    if min_group < 1:
        raise ValueError("min_group must be at least 1")
    n1, n0 = int(windows.recent.sum()), int(windows.earlier.sum())
    x1, x0 = int((raised & windows.recent).sum()), int((raised & windows.earlier).sum())
    if n1 < min_group or n0 < min_group or x1 + x0 == 0:
        return None
    with np.errstate(divide="ignore"):  # x0 = 0: the upper limit is infinite
        low, high = confint_proportions_2indep(
            x1, n1, x0, n0, method="score", compare="ratio", correction=False
        )
    return Growth(
        since=windows.since,
        recent=x1,
        recent_comments=n1,
        earlier=x0,
        earlier_comments=n0,
        ci_low=float(low),
        ci_high=math.inf if not np.isfinite(high) else float(high),
    )


def recent_window(dates: Sequence[date | None], days: int = RECENT_DAYS) -> date | None:
    """The first day of the last ``days`` days up to the latest date; None without dates."""
    known = [d for d in dates if d is not None]
    return max(known) - timedelta(days=days - 1) if known else None


@dataclass(frozen=True, slots=True, kw_only=True)
class EmergingProblem:
    """A cluster of uncovered sentences, labelled by its distinctive words, and, when the
    comments have dates, its growth."""

    terms: tuple[str, ...]
    size: int  # sentences
    negative: int  # negative sentences
    examples: tuple[str, ...]
    growth: Growth | None = None
    nearest: str | None = None  # the attribute its sentences are nearest to
    nearest_affinity: float | None = None  # their mean affinity to it, in [0, 1]
    comments: int | None = None  # distinct comments its sentences come from

    @property
    def negative_share(self) -> float:
        return self.negative / self.size if self.size else 0.0

    @property
    def label(self) -> str:
        return ", ".join(self.terms[:3])

    def to_dict(self) -> dict[str, object]:
        return {
            "label": self.label,
            "terms": list(self.terms),
            "size": self.size,
            "comments": self.comments,
            "negative": self.negative,
            "negative_share": self.negative_share,
            "examples": list(self.examples),
            "growth": None if self.growth is None else self.growth.to_dict(),
            "nearest_attribute": self.nearest,
            "nearest_affinity": self.nearest_affinity,
        }


def default_clusters(n: int, min_size: int) -> int:
    """About one cluster per 4·min_size sentences, at least 1 and at most 20."""
    return int(min(20, max(1, round(n / (4 * min_size)))))


def find_emerging_problems(
    texts: Sequence[str],
    polarity: Sequence[Polarity],
    *,
    vectors: FloatArray | None = None,
    affinity: FloatArray | None = None,
    attribute_ids: Sequence[str] = (),
    n_clusters: int | None = None,
    min_size: int = 5,
    min_comments: int = MIN_COMMENTS,
    n_terms: int = 6,
    n_examples: int = 3,
    comment_of: Sequence[int] | None = None,
    comment_dates: Sequence[date | None] | None = None,
    recent_days: int = RECENT_DAYS,
    random_state: int = 0,
) -> tuple[EmergingProblem, ...]:
    """Cluster ``texts`` (sentences no attribute covers) into ranked problems.

    ``vectors`` are sentence vectors (one row per text), e.g. the mean static word vectors;
    without them the clustering runs on an LSA of the texts' TF-IDF. ``affinity`` (texts ×
    attributes, with their ``attribute_ids``) names each problem's nearest attribute. Clusters
    of fewer than ``min_size`` sentences are not reported (a handful of sentences is not a
    trend), nor those whose sentences come from fewer than ``min_comments`` comments (pass the
    anonymity threshold): a small group of customers could be recognised. A label word is shown
    only when at least ``min_comments`` of the cluster's comments use it.

    ``comment_of`` is the comment each text comes from (without it, each text counts as a
    comment of its own); ``comment_dates`` (the date of every comment, those without uncovered
    sentences too, None where unknown) gives each problem its :class:`Growth` over the last
    ``recent_days``.
    """
    if len(texts) != len(polarity):
        raise ValueError("texts and polarity must have the same length")
    if vectors is not None and len(vectors) != len(texts):
        raise ValueError("one vector per text is needed")
    if affinity is not None and affinity.shape != (len(texts), len(attribute_ids)):
        raise ValueError("affinity needs one row per text and one column per attribute id")
    if (comment_of is None) != (comment_dates is None):
        raise ValueError("comment_of and comment_dates go together")
    if comment_of is not None and len(comment_of) != len(texts):
        raise ValueError("one comment per text is needed")
    if recent_days < 1:
        raise ValueError("recent_days must be at least 1")
    if min_comments < 1:
        raise ValueError("min_comments must be at least 1")
    n = len(texts)
    comments = np.arange(n) if comment_of is None else np.asarray(comment_of, dtype=np.int64)
    if n < min_size or np.unique(comments).size < min_comments:
        return ()
    features = _cluster_features(texts, vectors, random_state)
    k = min(n_clusters or default_clusters(n, min_size), n)
    if k == 1 or not np.any(features):
        assignment = np.zeros(n, dtype=np.int64)
        centres = features.mean(axis=0, keepdims=True)
    else:
        # repeated sentences (a form letter, a copied complaint) give fewer distinct points
        # than clusters asked for: never ask KMeans for more clusters than there are points
        k = min(k, len(np.unique(np.round(features, 9), axis=0)))
        model = KMeans(n_clusters=k, n_init=4, random_state=random_state).fit(features)
        assignment = model.labels_.astype(np.int64)
        centres = model.cluster_centers_
    negative = np.array([Polarity(p) == Polarity.NEGATIVE for p in polarity])
    windows = None
    if comment_dates is not None and (since := recent_window(comment_dates, recent_days)):
        windows = Windows.split(comment_dates, since)
    # more candidates than shown: a word is shown only when enough comments of its cluster use it
    candidates = distinctive_words(texts, assignment, centres.shape[0], n_terms * _CANDIDATES)
    problems = []
    for cluster in range(centres.shape[0]):
        members = np.flatnonzero(assignment == cluster)
        n_comments = int(np.unique(comments[members]).size)
        if members.size < min_size or n_comments < min_comments:
            continue
        centre = _centre_of_comments(features[members], comments[members])
        distance = np.linalg.norm(features[members] - centre, axis=1)
        by_distance = members[np.argsort(distance, kind="stable")]
        nearest: tuple[str | None, float | None] = (None, None)
        if affinity is not None and len(attribute_ids) > 0:
            mean = affinity[members].mean(axis=0)
            best = int(np.argmax(mean))
            nearest = (attribute_ids[best], float(mean[best]))
        terms = _shared(candidates[cluster], members, texts, comments, min_comments)
        if not terms:  # no word that k of its comments share: no one problem to name
            continue
        growth = None
        if windows is not None:
            raised = np.zeros(windows.recent.size, dtype=np.bool_)
            raised[comments[members]] = True
            growth = problem_growth(raised, windows, min_group=min_comments)
        problems.append(
            EmergingProblem(
                terms=terms[:n_terms],
                size=int(members.size),
                comments=n_comments,
                negative=int(negative[members].sum()),
                examples=_quotes(by_distance, texts, comments, n_examples),
                growth=growth,
                nearest=nearest[0],
                nearest_affinity=nearest[1],
            )
        )
    problems.sort(key=lambda p: (-p.negative, -p.size, p.terms))
    return tuple(problems)


def _centre_of_comments(points: FloatArray, comments: npt.NDArray[np.int64]) -> FloatArray:
    """The mean of each comment's mean point: the centre where every comment weighs the same,
    so that one customer's many sentences do not pull the quotes towards them."""
    _, group = np.unique(comments, return_inverse=True)
    sums = np.zeros((int(group.max()) + 1, points.shape[1]))
    np.add.at(sums, group, points)
    return np.asarray((sums / np.bincount(group)[:, None]).mean(axis=0), dtype=np.float64)


def _shared(
    candidates: tuple[str, ...],
    members: npt.NDArray[np.int64],
    texts: Sequence[str],
    comments: npt.NDArray[np.int64],
    min_comments: int,
) -> tuple[str, ...]:
    """The ``candidates`` that at least ``min_comments`` comments of the cluster use, in order."""
    users: dict[str, set[int]] = {word: set() for word in candidates}
    for index in members.tolist():
        for word in users.keys() & set(tokenize(without_personal_data(texts[index]))):
            users[word].add(int(comments[index]))
    return tuple(word for word in candidates if len(users[word]) >= min_comments)


def _quotes(
    by_distance: npt.NDArray[np.int64],
    texts: Sequence[str],
    comments: npt.NDArray[np.int64],
    n_examples: int,
) -> tuple[str, ...]:
    """Up to ``n_examples`` distinct masked sentences, nearest the centre first, but each
    comment's nearest sentence before any comment's second: quotes from as many customers as
    there are, so that no one customer speaks for the cluster."""
    turn: dict[int, int] = {}
    rounds = []  # how many sentences of the same comment come nearer the centre
    for index in by_distance.tolist():
        comment = int(comments[index])
        rounds.append(turn.get(comment, 0))
        turn[comment] = rounds[-1] + 1
    order = by_distance[np.argsort(np.asarray(rounds), kind="stable")]
    quotes: list[str] = []
    for index in order.tolist():
        quote = mask_personal_data(texts[index])
        if quote not in quotes:
            quotes.append(quote)
        if len(quotes) == n_examples:
            break
    return tuple(quotes)


def emerging_problems(
    analysis: VoiceAnalysis,
    tagger: AttributeTagger,
    *,
    min_size: int = 5,
    min_comments: int = MIN_COMMENTS,
    n_clusters: int | None = None,
    comment_dates: Sequence[date | None] | None = None,
    recent_days: int = RECENT_DAYS,
    random_state: int = 0,
) -> tuple[EmergingProblem, ...]:
    """The emerging problems among the sentences of ``analysis`` that no attribute covers,
    from at least ``min_comments`` comments (pass the anonymity threshold); with
    ``comment_dates`` (one per comment of ``analysis``), with their growth."""
    if comment_dates is not None and len(comment_dates) != analysis.n_comments:
        raise ValueError(f"{analysis.n_comments} comments but {len(comment_dates)} dates")
    covered = np.zeros(len(analysis.sentence_text), dtype=np.bool_)
    covered[analysis.pair_sentence] = True
    uncovered = np.flatnonzero(~covered)
    texts = [analysis.sentence_text[i] for i in uncovered.tolist()]
    polarity = [POLARITIES[k] for k in analysis.sentence_polarity[uncovered].tolist()]
    vectors = affinity = None
    if texts:
        batch = tagger.prepare(texts)
        affinity = np.asarray(batch.sentence_affinity(), dtype=np.float64)
        if tagger.embeddings_ and batch.vectors is not None:
            vectors = np.asarray(
                segment_reduce(batch.vectors, batch.words, "sum"), dtype=np.float64
            )
    return find_emerging_problems(
        texts,
        polarity,
        vectors=vectors,
        affinity=affinity,
        attribute_ids=tagger.attribute_ids_,
        n_clusters=n_clusters,
        min_size=min_size,
        min_comments=min_comments,
        # always the comments, dated or not: one comment's many sentences are one customer
        comment_of=analysis.sentence_comment[uncovered].tolist(),
        comment_dates=([None] * analysis.n_comments if comment_dates is None else comment_dates),
        recent_days=recent_days,
        random_state=random_state,
    )


def _cluster_features(
    texts: Sequence[str], vectors: FloatArray | None, random_state: int
) -> FloatArray:
    if vectors is not None:
        return np.asarray(unit_rows(vectors), dtype=np.float64)
    # topics live in content words: function words would pull sentences together by style
    content = [
        " ".join(w for w in tokenize(text) if w.isalpha() and w not in STOPWORDS) for text in texts
    ]
    words = tokenize_batch(content).words()
    tfidf = LexicalVectorizer(chars=False).fit(words).transform(words)
    dimensions = min(_LSA_DIMENSIONS, tfidf.shape[1] - 1, len(texts) - 1)
    if dimensions < 1:
        return np.asarray(tfidf.toarray(), dtype=np.float64)
    reduced = TruncatedSVD(n_components=dimensions, random_state=random_state).fit_transform(tfidf)
    return np.asarray(unit_rows(reduced), dtype=np.float64)
