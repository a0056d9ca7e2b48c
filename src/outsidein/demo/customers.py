"""Nordlicht's customers: a customer survey and a year of feedback comments.

Planted findings (the evidence against the staff's beliefs in :mod:`.staff`):

1. **What drives satisfaction.** Overall satisfaction is driven by reliability (on-time
   delivery) and problem resolution, then communication; price matters little. Managers
   believe price is customers' top priority: a large *understanding gap* for managers, a
   small one for operational staff (who rank reliability and problem resolution first).
2. **Delivery gap.** Customers rate reliability ≈ 4.5 and problem resolution ≈ 4.1 on 1-7;
   managers believe ≈ 6.1 and ≈ 5.6: managers overrate delivery where it matters most.
3. **Text.** Comments complain mostly about late deliveries and claims handling, praise the
   drivers' courtesy; reliability sentiment worsens over the last quarter.
4. **Emerging problem no attribute covers:** the shipment-tracking link (the portal shows no
   status, the tracking number is "not found"), growing in the last three months.
5. **Personal data** appears in some comments (e-mail addresses, phone numbers, names after a
   greeting, IBANs) and must be masked wherever a quote is shown.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl

# attribute -> (customer-perceived mean on 1-7, weight in overall satisfaction, stated importance)
CUSTOMER_VIEW: dict[str, tuple[float, float, float]] = {
    "reliability": (4.5, 0.34, 6.6),
    "problem_resolution": (4.1, 0.24, 6.2),
    "communication": (4.6, 0.12, 5.6),
    "responsiveness": (4.9, 0.08, 5.5),
    "competence": (5.6, 0.05, 5.0),
    "outcome_quality": (5.4, 0.06, 5.8),
    "ease_of_access": (4.5, 0.04, 4.9),
    "courtesy": (5.9, 0.03, 4.6),
    "price_value": (4.8, 0.02, 4.4),
    "reputation": (5.3, 0.02, 4.0),
}

SEGMENTS = ("SME", "Enterprise", "Public sector")

# How Nordlicht's customers talk about each attribute: the firm's own phrases for what praise
# and complaints sound like, and one that only names the attribute (the text engine's seeds;
# praise and complaints also teach its polarity). None is copied from the comments generated
# below.
PRAISE: dict[str, tuple[str, ...]] = {
    "reliability": ("arrived on time",),
    "problem_resolution": ("they fixed the problem", "quick refund"),
    "communication": ("kept us updated", "explained the options"),
    "responsiveness": ("answered quickly",),
    "competence": ("knew the paperwork", "expert in customs"),
    "outcome_quality": ("perfect condition",),
    "ease_of_access": ("easy to book online",),
    "courtesy": ("friendly driver", "polite staff", "helpful driver"),
    "price_value": ("fair price",),
    "reputation": ("trusted name", "good reputation"),
}
COMPLAINTS: dict[str, tuple[str, ...]] = {
    "reliability": (
        "late delivery",
        "missed the delivery date",
        "delayed shipment",
        "pickup did not happen as agreed",
    ),
    "problem_resolution": ("claim still open", "lost parcel", "damage claim"),
    "communication": ("nobody informed us", "no notice of the delay"),
    "responsiveness": ("slow reply", "waited days for an answer"),
    "competence": ("could not answer the question",),
    "outcome_quality": ("goods arrived damaged", "broken boxes"),
    "ease_of_access": ("could not get through on the phone",),
    "courtesy": ("rude agent",),
    "price_value": ("expensive freight rates", "extra fees on the invoice"),
    "reputation": ("bad reviews from other shippers",),
}
EXAMPLES: dict[str, tuple[str, ...]] = {"ease_of_access": ("booking portal",)}

SENTENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "reliability": {
        "negative": (
            "The delivery was three days late again.",
            "They missed the promised delivery window twice this month.",
            "Our pallets arrived a day after the agreed date.",
            "The pickup never happened on the day they confirmed.",
        ),
        "positive": (
            "Deliveries arrive exactly when promised.",
            "The shipment was on time, as always.",
        ),
    },
    "problem_resolution": {
        "negative": (
            "Our damage claim has been open for six weeks.",
            "I was passed from one department to another about the lost parcel.",
            "Nobody takes responsibility when a shipment goes missing.",
        ),
        "positive": (
            "They sorted out the damaged delivery without any fuss.",
            "The claim was refunded within a week.",
        ),
    },
    "communication": {
        "negative": (
            "Nobody told us about the delay until we called.",
            "We were not informed that the truck was rerouted.",
        ),
        "positive": ("They warned us about the strike in advance and explained the options.",),
    },
    "responsiveness": {
        "negative": ("It took four days to get a reply to my email.",),
        "positive": ("Customer service answered within the hour.",),
    },
    "competence": {
        "positive": (
            "The planner knew exactly how to handle the customs paperwork.",
            "Their staff really know their stuff about hazardous goods.",
        ),
        "negative": ("Nobody could answer my question about the weight limits.",),
    },
    "outcome_quality": {
        "positive": ("Everything arrived in perfect condition.",),
        "negative": ("Two boxes were crushed on arrival.",),
    },
    "ease_of_access": {
        "negative": ("You can never get through on the phone before ten.",),
        "positive": ("Booking a pickup online is easy.",),
    },
    "courtesy": {
        "positive": (
            "The driver was friendly and helpful.",
            "Really polite staff at the depot.",
            "The driver carried everything inside with a smile.",
        ),
        "negative": ("The agent was rude to our warehouse team.",),
    },
    "price_value": {
        "positive": ("Fair prices for the service we get.",),
        "negative": ("There were hidden fees on the invoice.",),
    },
    "reputation": {
        "positive": ("A name you can trust in the Baltic region.",),
        "negative": ("We have heard bad things about them from other shippers.",),
    },
}

EMERGING = (
    "The tracking link shows no status at all.",
    "The tracking number is not found on the portal.",
    "Shipment tracking has been broken for weeks, the page stays empty.",
    "The track and trace page says unknown consignment.",
)

PERSONAL = (
    "Hi Anna, please call me back on +358 40 123 4567.",
    "Contact me at matti.virtanen@example.fi about the refund.",
    "Hallo Herr Müller, the refund should go to DE89 3704 0044 0532 0130 00.",
    "Hei Liisa, my number is 050 765 4321.",
)


def _ratings(rng: np.random.Generator, mean: float, n: int, general: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(mean + general + rng.normal(0, 0.9, n)), 1, 7)


def generate_customer_survey(*, seed: int = 11, customers: int = 640) -> pl.DataFrame:
    """One row per customer: attribute ratings, stated importance, overall, NPS (0-10)."""
    rng = np.random.default_rng(seed)
    general = rng.normal(0, 0.5, customers)
    columns: dict[str, np.ndarray] = {}
    overall = np.zeros(customers)
    for attribute, (mean, weight, importance) in CUSTOMER_VIEW.items():
        ratings = _ratings(rng, mean, customers, general)
        columns[attribute] = ratings
        overall += weight * (ratings - mean)
        columns[f"importance__{attribute}"] = np.clip(
            np.rint(importance + rng.normal(0, 0.8, customers)), 1, 7
        )
    overall_score = np.clip(np.rint(4.7 + 1.6 * overall + rng.normal(0, 0.45, customers)), 1, 7)
    nps = np.clip(np.rint((overall_score - 1) / 6 * 10 + rng.normal(0, 0.9, customers)), 0, 10)
    start = datetime(2026, 9, 1, tzinfo=UTC)
    return pl.DataFrame(
        {
            "customer_id": [f"C{i + 1:05d}" for i in range(customers)],
            "segment": rng.choice(SEGMENTS, customers, p=[0.6, 0.3, 0.1]),
            "date": [start + timedelta(days=int(d)) for d in rng.integers(0, 60, customers)],
            **columns,
            "overall": overall_score,
            "nps": nps,
        }
    )


def generate_feedback(*, seed: int = 12, comments: int = 1500) -> pl.DataFrame:
    """Feedback comments with a 1-5 rating and a date over twelve months."""
    rng = np.random.default_rng(seed)
    start = datetime(2025, 11, 1, tzinfo=UTC)
    attributes = list(CUSTOMER_VIEW)
    mention_weight = np.array([4.0, 3.0, 2.0, 1.4, 0.8, 1.0, 1.0, 2.2, 0.8, 0.4])
    mention_weight /= mention_weight.sum()
    rows: list[dict[str, object]] = []
    for i in range(comments):
        day = int(rng.integers(0, 365))
        recent = day >= 270
        sentences: list[str] = []
        tone = 0.0
        for _ in range(int(rng.integers(1, 4))):
            attribute = attributes[int(rng.choice(len(attributes), p=mention_weight))]
            mean = CUSTOMER_VIEW[attribute][0] - (
                0.6 if recent and attribute == "reliability" else 0.0
            )
            positive_share = (mean - 1) / 6
            polarity = "positive" if rng.random() < positive_share else "negative"
            options = SENTENCES[attribute].get(polarity) or SENTENCES[attribute]["positive"]
            sentences.append(str(rng.choice(options)))
            tone += 1.0 if polarity == "positive" else -1.0
        if rng.random() < (0.09 if recent else 0.01):
            sentences.append(str(rng.choice(EMERGING)))
            tone -= 1.0
        if rng.random() < 0.03:
            sentences.append(str(rng.choice(PERSONAL)))
        rating = int(np.clip(np.rint(3.0 + 0.9 * tone + rng.normal(0, 0.6)), 1, 5))
        rows.append(
            {
                "comment_id": f"F{i + 1:05d}",
                "text": " ".join(sentences),
                "rating": rating,
                "date": start + timedelta(days=day, hours=int(rng.integers(7, 20))),
                "segment": str(rng.choice(SEGMENTS, p=[0.6, 0.3, 0.1])),
            }
        )
    return pl.DataFrame(rows)
