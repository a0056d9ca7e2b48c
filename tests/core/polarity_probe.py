"""A CheckList-style probe of aspect polarity (Ribeiro et al. 2020, "minimum functionality
tests"): short sentences that name an attribute and judge it with one adjective, in a restaurant's
words and in a logistics firm's. The adjectives are common words of service feedback, 20 of the
48 outside the VADER lexicon, listed here once and never tuned to a model.

Shared by ``tests/services/test_voice_polarity.py`` and ``benchmarks/voice.py``.
"""

from __future__ import annotations

POSITIVE = (
    "polite", "courteous", "punctual", "prompt", "reliable", "efficient", "professional",
    "knowledgeable", "attentive", "excellent", "great", "friendly", "helpful", "quick", "fast",
    "smooth", "accurate", "clean", "reasonable", "fair", "wonderful", "superb", "pleasant",
    "careful",
)  # fmt: skip
NEGATIVE = (
    "late", "slow", "rude", "dirty", "unreliable", "unprofessional", "overpriced", "careless",
    "unhelpful", "inaccurate", "delayed", "damaged", "broken", "terrible", "awful", "poor",
    "sloppy", "incompetent", "disorganized", "expensive", "bad", "horrible", "useless",
    "confusing",
)  # fmt: skip
TEMPLATES = (
    "The {noun} was {adjective}.",
    "The {noun} is always {adjective}.",
    "Very {adjective} {noun}.",
)

# (attribute id, how customers name it): MAMS-ACSA's attributes (benchmarks/mams_attributes.yaml)
# and the default attribute set's (a logistics firm, as the demo's)
RESTAURANT = (
    ("staff", "waiter"), ("staff", "staff"), ("service", "service"), ("food", "food"),
    ("price", "price"), ("ambience", "atmosphere"), ("place", "place"), ("menu", "menu"),
)  # fmt: skip
LOGISTICS = (
    ("courtesy", "driver"), ("courtesy", "agent"), ("reliability", "delivery"),
    ("price_value", "invoice"), ("responsiveness", "customer service"), ("competence", "planner"),
    ("ease_of_access", "booking portal"), ("outcome_quality", "shipment"),
)  # fmt: skip


def probe(nouns: tuple[tuple[str, str], ...]) -> list[tuple[str, str, str]]:
    """(attribute id, sentence, expected polarity) for every noun, adjective and template."""
    return [
        (attribute, template.format(noun=noun, adjective=adjective).capitalize(), polarity)
        for attribute, noun in nouns
        for polarity, adjectives in (("positive", POSITIVE), ("negative", NEGATIVE))
        for adjective in adjectives
        for template in TEMPLATES
    ]
