"""From comments to sentences to comment-level attributes and sentiment."""

from __future__ import annotations

import numpy as np
import pytest

from outsidein.core import voice
from outsidein.core.sentiment import AspectPolarity, Polarity
from outsidein.core.voice import analyse_voice, format_attribute_sentiment
from outsidein.core.voice_attributes import Attribute
from outsidein.core.voice_tagging import AttributeTagger

FOOD = Attribute(id="food", name="Food", examples=("soup", "pasta"))
STAFF = Attribute(id="staff", name="Staff", examples=("waiter",))


def _engine() -> tuple[AttributeTagger, AspectPolarity]:
    tagger = AttributeTagger([FOOD, STAFF]).fit()
    texts = [f"the {n} was {a}" for n in ("soup", "pasta", "waiter") for a in ("great", "awful")]
    batch = tagger.prepare(texts * 3)
    polarity = AspectPolarity(attribute_aware=False, embedding_weight=0.0)
    attribute = [0, 0, 0, 0, 1, 1] * 3
    labels = ["positive", "negative"] * 9
    polarity.fit(batch, list(range(18)), attribute, labels)
    return tagger, polarity


def test_comments_roll_up_their_sentences() -> None:
    tagger, polarity = _engine()
    comments = [
        "The soup was great. The waiter was awful!",
        "",
        "Nothing to say here.",
        "The pasta was awful. The soup was awful too.",
    ]
    analysis = analyse_voice(comments, tagger=tagger, polarity=polarity)
    assert analysis.regime == "zero-shot" and analysis.signals == "lexical-only"
    assert "lexical signals only" in analysis.note
    assert analysis.comment_sentences.tolist() == [2, 0, 1, 2]
    first, empty, nothing, last = analysis.comments
    assert first.attributes == ("food", "staff")
    assert dict(first.attribute_polarity) == {"food": Polarity.POSITIVE, "staff": Polarity.NEGATIVE}
    assert empty.attributes == () and empty.polarity == Polarity.NEUTRAL and empty.n_sentences == 0
    assert nothing.attributes == ()
    assert last.attribute_polarity == (("food", Polarity.NEGATIVE),)
    assert last.polarity == Polarity.NEGATIVE
    sentences = analysis.sentences
    assert [s.comment for s in sentences] == [0, 0, 2, 3, 3]
    assert sentences[1].attribute_polarity == (("staff", Polarity.NEGATIVE),)


def test_frames_have_the_out_csv_format() -> None:
    tagger, polarity = _engine()
    analysis = analyse_voice(
        ["The soup was great. The waiter was awful!", "meh"], tagger=tagger, polarity=polarity
    )
    frame = analysis.to_frame()
    assert frame.columns == ["attributes", "attribute_sentiment", "sentiment"]
    assert frame.row(0) == ("food;staff", "food:positive;staff:negative", frame.row(0)[2])
    assert frame.row(1)[:2] == ("", "")
    assert set(frame["sentiment"]) <= {"positive", "negative", "neutral"}
    sentences = analysis.sentences_frame()
    assert sentences.height == 3 and sentences["comment"].to_list() == [0, 0, 1]
    # an empty comment has no sentiment at all, not a neutral one
    empty = analyse_voice(["", "meh"], tagger=tagger, polarity=polarity).to_frame()
    assert empty.row(0) == ("", "", "") and empty.row(1)[2] in {"positive", "negative", "neutral"}


def test_separate_overall_model_and_no_comments() -> None:
    tagger, polarity = _engine()
    analysis = analyse_voice([], tagger=tagger, polarity=polarity)
    assert analysis.n_comments == 0 and analysis.to_frame().height == 0
    again = analyse_voice(
        ["The soup was great."], tagger=tagger, polarity=polarity, overall=polarity
    )
    other = AspectPolarity(attribute_aware=False, embedding_weight=0.0)
    other.coef_, other.intercept_ = np.zeros((3, 1)), np.array([0.0, 5.0, 0.0])
    other.vocabulary_, other.n_dense_, other.attribute_ids_ = {}, 1, ()
    split = analyse_voice(["The soup was great."], tagger=tagger, polarity=polarity, overall=other)
    assert again.comments[0].attribute_polarity == split.comments[0].attribute_polarity
    assert format_attribute_sentiment([("a", Polarity.NEUTRAL)]) == "a:neutral"


def test_chunked_scoring_gives_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    tagger, polarity = _engine()
    comments = ["The soup was great. The waiter was awful!", "", "Pasta awful.", "Hm."] * 5
    whole = analyse_voice(comments, tagger=tagger, polarity=polarity)
    monkeypatch.setattr(voice, "CHUNK_SENTENCES", 3)
    chunked = analyse_voice(comments, tagger=tagger, polarity=polarity)
    assert chunked.to_frame().equals(whole.to_frame())
    assert chunked.sentences_frame().equals(whole.sentences_frame())


def test_a_supervised_run_states_its_cross_validated_score() -> None:
    _, polarity = _engine()
    food = ["the soup was cold", "great pasta", "the soup came late", "lovely pasta"]
    staff = ["rude waiter", "the waiter smiled", "our waiter forgot us", "a kind waiter"]
    texts = [f"{f} and {s}" for f in food for s in staff] * 4 + food * 15 + staff * 15
    labels = [("food", "staff")] * 64 + [("food",)] * 60 + [("staff",)] * 60
    tagger = AttributeTagger([FOOD, STAFF]).fit(texts, labels)
    assert tagger.regime_ == "supervised" and tagger.cv_macro_f1_ is not None
    analysis = analyse_voice(["The soup was cold."], tagger=tagger, polarity=polarity)
    assert analysis.cv_macro_f1 == tagger.cv_macro_f1_
    assert f"macro-F1 {tagger.cv_macro_f1_:.2f} in cross-validation" in analysis.note


def test_the_overall_polarity_agrees_with_the_attribute_polarities() -> None:
    """A whole-sentence reading that sees nothing (here a model that always says neutral)
    cannot outvote an attribute reading that judges: the sentence and the comment take the
    judgement; a sentence with no judged attribute keeps the whole-sentence reading."""
    tagger, polarity = _engine()
    deaf = AspectPolarity(attribute_aware=False, embedding_weight=0.0)
    deaf.coef_, deaf.intercept_ = np.zeros((3, 1)), np.array([0.0, 5.0, 0.0])
    deaf.vocabulary_, deaf.n_dense_, deaf.attribute_ids_ = {}, 1, ()
    comments = ["The soup was great.", "The waiter was awful. Nothing else.", "Nothing else."]
    analysis = analyse_voice(comments, tagger=tagger, polarity=polarity, overall=deaf)
    overall = [c.polarity for c in analysis.comments]
    assert overall == [Polarity.POSITIVE, Polarity.NEGATIVE, Polarity.NEUTRAL]
    for comment in analysis.comments:
        judged = {p for _, p in comment.attribute_polarity if p != Polarity.NEUTRAL}
        if len(judged) == 1:
            assert comment.polarity in judged
    assert [str(s) for s in analysis.sentences_frame()["sentiment"].to_list()] == [
        "positive",
        "negative",
        "neutral",
        "neutral",
    ]


# -- the firm's own phrases, found word for word ----------------------------------------------


def test_phrase_readings_find_the_firms_phrases_unless_negated() -> None:
    from outsidein.core.voice_text import tokenize_batch

    on_time = Attribute(
        id="on_time",
        name="On time",
        praise=("on time", "arrived on time"),
        complaints=("late delivery", "did not arrive", "not on time"),
    )
    price = Attribute(id="price", name="Price", praise=("fair price",), complaints=("steep",))
    sentences = [
        "Another late delivery.",  # 0: the complaint
        "No late delivery this time.",  # 1: negated: the phrase is not read
        "The parcel did not arrive.",  # 2: a negation inside the phrase is part of it
        "It was not on time.",  # 3: the longest phrase: "not on time", a complaint
        "Late, delivery.",  # 4: punctuation between: no phrase
        "It arrived on time and at a fair price.",  # 5: both attributes, each its phrase
        "on time",  # 6: a phrase is a whole sentence
        "late",  # 7 and 8: a phrase across two sentences is none
        "delivery",
    ]
    found = voice.phrase_readings(tokenize_batch(sentences), voice.signed_phrases([on_time, price]))
    negative, positive = (
        voice.POLARITIES.index(Polarity.NEGATIVE),
        voice.POLARITIES.index(Polarity.POSITIVE),
    )
    assert found == {
        (0, 0): negative,
        (2, 0): negative,
        (3, 0): negative,
        (5, 0): positive,
        (5, 1): positive,
        (6, 0): positive,
    }
    # phrases of both signs and equal length in one sentence: the phrases decide nothing
    torn = Attribute(id="x", name="X", praise=("on time",), complaints=("time again",))
    assert (
        voice.phrase_readings(tokenize_batch(["on time again"]), voice.signed_phrases([torn])) == {}
    )


def test_a_firms_phrase_found_as_written_is_read_as_the_firm_said() -> None:
    """The model reads "arrived on time" as it reads any words; where the firm listed it as
    praise, the tagged pair is positive, and so is the sentence; other pairs are as before."""
    tagger = AttributeTagger(
        [Attribute(id="delivery", name="Delivery", examples=("delivery", "parcel"))]
    ).fit()
    batch = tagger.prepare(["The delivery was great.", "The delivery was awful."])
    polarity = AspectPolarity(attribute_aware=False, embedding_weight=0, min_count=1).fit(
        batch, [0, 1], [0, 0], ["positive", "negative"]
    )
    comments = [
        "The delivery arrived on time.",
        "The parcel came in time.",
        "The delivery never arrived on time.",
    ]
    plain = analyse_voice(comments, tagger=tagger, polarity=polarity)
    signed_tagger = AttributeTagger(
        [
            Attribute(
                id="delivery",
                name="Delivery",
                examples=("delivery", "parcel"),
                praise=("arrived on time",),
            )
        ]
    ).fit()
    signed = analyse_voice(comments, tagger=signed_tagger, polarity=polarity)
    assert [c.attributes for c in signed.comments] == [c.attributes for c in plain.comments]
    assert dict(plain.comments[0].attribute_polarity)["delivery"] != Polarity.POSITIVE
    assert dict(signed.comments[0].attribute_polarity)["delivery"] == Polarity.POSITIVE
    assert signed.comments[0].polarity == Polarity.POSITIVE
    assert signed.comments[1:] == plain.comments[1:]  # not written so, or negated: as before


def test_a_praise_and_a_complaint_stated_in_one_sentence_do_not_make_it_praise() -> None:
    """Two phrases of opposite signs cancel out exactly; the sentence is then read as its
    readings' mean is (before, an exact tie read as praise)."""
    attributes = [
        Attribute(id="staff", name="Staff", examples=("staff",), complaints=("rude staff",)),
        Attribute(id="timing", name="Timing", examples=("time",), praise=("on time",)),
    ]
    tagger = AttributeTagger(attributes).fit()
    batch = tagger.prepare(["The staff were great.", "The staff were awful."])
    polarity = AspectPolarity(attribute_aware=False, embedding_weight=0, min_count=1).fit(
        batch, [0, 1], [0, 0], ["positive", "negative"]
    )
    mixed = analyse_voice(["Rude staff but on time."], tagger=tagger, polarity=polarity)
    (sentence,) = mixed.sentences
    assert dict(sentence.attribute_polarity) == {
        "staff": Polarity.NEGATIVE,
        "timing": Polarity.POSITIVE,
    }
    whole = polarity.predict_proba(
        tagger.prepare(["Rude staff but on time."]), [0], [voice.WHOLE_SENTENCE]
    )[0]
    one_hot = np.eye(3)
    expected = voice.POLARITIES[int((whole + one_hot[0] + one_hot[2]).argmax())]
    assert sentence.polarity == expected and mixed.comments[0].polarity == expected
