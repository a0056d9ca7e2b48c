"""Text handling for customer voice: sentences, tokens and masking of personal data.

Everything here is rule-based and deterministic, so that the same comment always gives the same
sentences, tokens and masked quote. Tokens are produced for a whole batch at once
(:func:`tokenize_batch`): the unique token strings ("types") are kept apart from their positions,
so that later stages (word vectors, character n-grams, lexicon look-ups) work once per type
instead of once per occurrence. That is what makes tagging run at tens of thousands of
sentences per second without a compiled model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# -- sentences --------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    {
        # English
        "mr", "mrs", "ms", "dr", "prof", "st", "vs", "etc", "e.g", "i.e", "approx", "no", "jr",
        "sr", "inc", "ltd", "co", "mt",
        # Finnish
        "esim", "ym", "yms", "mm", "jne", "ns", "tms", "klo", "n", "s", "ks", "huom", "os",
        # German
        "z.b", "bzw", "usw", "ca", "evtl", "ggf", "inkl", "nr", "str", "u.a", "d.h", "hr", "fr",
    }
)  # fmt: skip
_SENTENCE_END = re.compile(r"([.!?…]+)([\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]?[^\s\"'“‘(\[])")
_LINE_BREAK = re.compile(r"\s*(?:\r?\n\s*){1,}")


def split_sentences(text: str) -> list[str]:
    """Split a comment into sentences.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by white space, and at every line
    break (reviews and survey answers use line breaks as sentence ends). A full stop after a
    known abbreviation (``Mr.``, ``e.g.``, ``esim.``, ``z.B.``), after a single capital letter
    (an initial) or between digits does not end a sentence; neither does a full stop or an
    ellipsis followed by a lower-case letter.

    >>> split_sentences("Great food! The waiter, Mr. Smith, was slow.\\nWill come back")
    ['Great food!', 'The waiter, Mr. Smith, was slow.', 'Will come back']
    """
    sentences: list[str] = []
    for line in _LINE_BREAK.split(text):
        start = 0
        for match in _SENTENCE_END.finditer(line):
            end = match.end(2)
            following = line[match.end(3) : match.end(3) + 1]
            stops = match.group(1)
            if set(stops) <= {".", "…"} and following.islower():
                continue  # "ok... not great", "e.g. soup": the sentence goes on
            if stops == "." and _is_abbreviation(line[start : match.start(1)]):
                continue
            sentences.append(line[start:end].strip())
            start = match.end(3)
        sentences.append(line[start:].strip())
    return [sentence for sentence in sentences if sentence]


def _is_abbreviation(before: str) -> bool:
    words = before.rsplit(None, 1)
    if not words:
        return False
    last = words[-1].lstrip("(\"'“‘")
    if len(last) == 1 and last.isalpha() and last.isupper():
        return True  # an initial: "J. Smith"
    return last.lower() in _ABBREVIATIONS


# -- tokens -----------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"[^\W_]+(?:['’][^\W_]+)*"  # words, with inner apostrophes (wasn't, O'Brien)
    r"|[$€£%]"  # currency and percent carry meaning for price attributes
    r"|[,;:!?()]|(?<=\s)[-–—]{1,2}(?=\s)|\.(?=\s|$)"  # clause boundaries
    r"|\x1e"  # separates the texts of a batch (see tokenize_batch)
)
_SEPARATOR = "\x1e"
CLAUSE_WORDS = frozenset(
    {
        "but", "although", "though", "however", "while", "whereas", "yet", "except",
        "mutta", "vaikka", "kuitenkin", "paitsi",
        "aber", "obwohl", "jedoch", "doch", "sondern", "außer",
    }
)  # fmt: skip
"""Words that start a new clause: the opinion after "but" is usually about something else."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenBatch:
    """The tokens of many sentences, stored once per distinct token ("type").

    ``token_type[offsets[i]:offsets[i + 1]]`` are the type ids of sentence ``i``'s tokens, in
    order; ``types[t]`` is the lower-cased token string. Boundary tokens (punctuation that ends
    a clause) are kept, because sentiment is scoped by clause, and flagged in ``is_word``.
    """

    types: tuple[str, ...]
    token_type: IntArray
    offsets: IntArray
    is_word: BoolArray  # per type
    is_boundary: BoolArray  # per type: punctuation or a clause word

    @property
    def n_sentences(self) -> int:
        return int(self.offsets.size - 1)

    @property
    def n_tokens(self) -> int:
        return int(self.token_type.size)

    @property
    def lengths(self) -> IntArray:
        return np.diff(self.offsets)

    def sentence_of_token(self) -> IntArray:
        """The sentence index of each token."""
        return np.repeat(np.arange(self.n_sentences, dtype=np.int64), self.lengths)

    def words(self) -> TokenBatch:
        """The same sentences with only word tokens (punctuation dropped)."""
        keep = self.is_word[self.token_type]
        kept_before = np.zeros(keep.size + 1, dtype=np.int64)
        np.cumsum(keep, out=kept_before[1:])
        offsets = kept_before[self.offsets]
        return TokenBatch(
            types=self.types,
            token_type=self.token_type[keep],
            offsets=offsets,
            is_word=self.is_word,
            is_boundary=self.is_boundary,
        )


def tokenize(text: str) -> list[str]:
    """Lower-cased tokens of one text: words, currency signs and clause punctuation."""
    return _TOKEN.findall(text.lower().replace(_SEPARATOR, " "))


def tokenize_batch(texts: Sequence[str]) -> TokenBatch:
    """Tokenize many texts at once (see :class:`TokenBatch`).

    The texts are joined with a separator character and tokenized by one regular-expression
    pass, which is several times faster than one pass per text.
    """
    joined = f" {_SEPARATOR} ".join(text.replace(_SEPARATOR, " ") for text in texts).lower()
    flat = _TOKEN.findall(joined)
    index = dict.fromkeys(flat)
    index.pop(_SEPARATOR, None)
    types = tuple(index)
    ids = dict(zip(types, range(len(types)), strict=True))
    ids[_SEPARATOR] = -1
    coded = np.fromiter(map(ids.__getitem__, flat), dtype=np.int64, count=len(flat))
    separators = np.flatnonzero(coded < 0)
    offsets = np.empty(len(texts) + 1, dtype=np.int64)
    offsets[0] = 0
    if len(texts):
        # a separator at flat position p ends text k = its rank; drop it from the positions
        offsets[1:-1] = separators - np.arange(separators.size)
        offsets[-1] = coded.size - separators.size
    is_clause_word = np.fromiter(
        (t in CLAUSE_WORDS for t in types), dtype=np.bool_, count=len(types)
    )
    is_word = np.fromiter(
        (t[0].isalnum() or t in "$€£%" for t in types), dtype=np.bool_, count=len(types)
    )
    return TokenBatch(
        types=types,
        token_type=coded[coded >= 0],
        offsets=offsets,
        is_word=is_word & ~is_clause_word,
        is_boundary=~is_word | is_clause_word,
    )


def _word_set(block: str) -> frozenset[str]:
    """The white-space separated words of a text block (word lists read best as text)."""
    return frozenset(block.split())


STOPWORDS = _word_set(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both by can could did do does doing down during each even ever every
    few for from further get got had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own really same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up
    us very was we were what when where which while who whom why will with would you your yours
    yourself yourselves one two went go going come came said says told it's i'm we're they're
    that's there's i've we've i'd we'd you're don't didn't doesn't isn't wasn't weren't aren't
    won't can't couldn't shouldn't wouldn't i'll we'll you'll they'll
    another anything everything something anyone everyone someone else many much may might
    must shall yet already though although whether onto upon via per since across around without
    ja on oli ei se että kun niin mutta tai jos kuin myös vain vielä nyt sitten siellä täällä
    minä sinä hän me te he ne tämä tuo nämä nuo mikä joka jotka olla olen olet olemme ovat
    olivat ollut ole en et emme eivät kanssa ilman koska vaikka sekä eli siis jo aina
    der die das den dem des ein eine einer eines einem einen und oder aber nicht kein keine ist
    sind war waren wird werden wurde hat haben hatte hatten ich du er sie es wir ihr mit von zu
    im in an auf für bei aus nach über unter vor auch noch nur schon sehr so wie als wenn dass
    da dort hier man mein dein sein unser euer ihre doch ja nein am zum zur vom beim
    """
)
"""Function words of English, Finnish and German, skipped when a phrase or a cluster is
described by its words. Written for this package, not taken from a corpus."""


NEGATORS = _word_set(
    """
    not no never nothing nobody none neither nor without hardly barely cannot
    ei eikä en et emme ette eivät älä ilman
    nicht kein keine keinen keinem keiner nie niemals ohne kaum
    """
)
NEGATION_SCOPE = 3


def _is_negator(token: str) -> bool:
    return token in NEGATORS or token.endswith(("n't", "n’t"))


def negated_at(tokens: TokenBatch, positions: IntArray) -> BoolArray:
    """Whether the tokens at ``positions`` lie in a negation's scope, as
    :func:`negation_marks` marks them (``NOT_``), for a few positions without marking the
    whole batch: a negator at most ``NEGATION_SCOPE`` tokens before, in the same sentence,
    with no clause boundary between."""
    token_type, types = tokens.token_type, tokens.types
    sentence = np.searchsorted(tokens.offsets, positions, side="right") - 1
    starts = tokens.offsets[sentence].tolist()
    out = np.zeros(positions.size, dtype=np.bool_)
    for i, (position, start) in enumerate(zip(positions.tolist(), starts, strict=True)):
        own = int(token_type[position])
        if tokens.is_boundary[own] or _is_negator(types[own]):
            continue
        for before in range(position - 1, max(start, position - NEGATION_SCOPE) - 1, -1):
            kind = int(token_type[before])
            if _is_negator(types[kind]):
                out[i] = True
                break
            if tokens.is_boundary[kind]:
                break
    return out


def negation_marks(tokens: TokenBatch) -> tuple[IntArray, tuple[str, ...]]:
    """Each token's negation-marked form, as an id into the returned names (-1: boundary).

    A word within ``NEGATION_SCOPE`` words after a negator ("not", "n't", "ei", "nicht"...)
    in the same clause is marked ``NOT_word`` (Das & Chen 2001; Pang, Lee & Vaithyanathan
    2002). Vectorised: the last negator and the last clause boundary before each token are
    running maxima of their positions.
    """
    types = tokens.types
    n_types = len(types)
    negator = np.fromiter(map(_is_negator, types), dtype=np.bool_, count=n_types)
    token_type = tokens.token_type
    position = np.arange(tokens.n_tokens)
    boundary = tokens.is_boundary[token_type]
    is_negator = negator[token_type]
    reset = np.where(boundary, position, -1)
    starts = tokens.offsets[:-1][tokens.lengths > 0]
    reset[starts] = np.maximum(reset[starts], starts - 1)  # a sentence start resets the scope
    last_reset = np.maximum.accumulate(reset) if reset.size else reset
    last_negator = (
        np.maximum.accumulate(np.where(is_negator, position, -1)) if reset.size else reset
    )
    negated = (
        (last_negator > last_reset)
        & (position - last_negator <= NEGATION_SCOPE)
        & ~is_negator
        & ~boundary
    )
    raw = np.where(boundary, -1, token_type + n_types * negated)
    used, compact = np.unique(raw[raw >= 0], return_inverse=True)
    marks = np.full(raw.size, -1, dtype=np.int64)
    marks[raw >= 0] = compact
    names = tuple(types[u] if u < n_types else "NOT_" + types[u - n_types] for u in used.tolist())
    return marks, names


# -- personal data ----------------------------------------------------------------------------

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.I)
_DIGIT_RUN = re.compile(r"(?<![\w.,])\+?\(?\d[\d ().\-/]{5,}\d(?![\w])")
_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2}")
_TITLES = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Madam|Herr|Frau|Fr|Hr|[Rr]ouva|[Hh]erra|[Nn]eiti)\.?"
_UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
"""Upper-case letters a name may start with: Latin, with the accents of Europe's languages
(Å, É, Ł, Ó, Š...)."""
_NAME = rf"[{_UPPER}][\w'’-]+"
_PROPER = rf"[{_UPPER}][a-zß-ÿā-ž'’-][\w'’-]*"
"""A name written as names are (not ALL CAPS, where "I AM VERY ANGRY" would be a name)."""
_GREETING = re.compile(
    r"\b(?P<greet>(?i:hi|hello|hey|dear|good (?:morning|afternoon|evening|day)"
    r"|greetings(?: from)?|regards from"
    r"|hei|moi|terve|moikka|hyvä|arvoisa"
    r"|hallo|liebe|lieber|sehr geehrte|sehr geehrter|guten tag|grüß gott|servus))"
    rf"(?P<sep>[ ,]+)(?P<name>(?:{_TITLES}\s+)?{_NAME}(?:\s+{_NAME}){{0,2}})(?=\s*[,!:.\n]|\s*$)"
)
_GREETED_WORD = re.compile(
    _GREETING.pattern.split("(?P<name>")[0] + r"(?P<name>[a-zåäöüéß][\wäöüåéß'’-]+)(?=\s*[,!:])"
)
_NOT_NAMES = _word_set(
    """
    there all everyone everybody team guys folks friends again you yall y'all sir madam
    madame support service customer customers staff people world and
    kaikki kaikille te teille tiimi taas
    alle zusammen leute ihr du liebe
    """
)
"""Lower-case words a greeting is often followed by that are no names ("hi there,")."""
_SIGN_OFF = re.compile(
    r"\b(?P<greet>(?i:regards|best regards|kind regards|best wishes|thanks|thank you|cheers"
    r"|terveisin|ystävällisin terveisin|kiittäen|mit freundlichen grüßen|viele grüße"
    r"|liebe grüße|grüße|gruß))"
    # one run of spaces and commas, then at most one line break: no two parts can take the same
    # spaces, so a comment padded with thousands of them is read in linear time
    rf"(?P<sep>[ ,]*(?:\r?\n\s*)?)(?P<name>(?:{_TITLES}\s+)?{_NAME}(?:[ \t]+{_NAME}){{0,2}})"
    # the name ends the text, a line ("Sent from my iPhone" may follow), or a clause
    r"(?=\s*$|[ \t]*[-–—:;,.!(]|[ \t]*\r?\n)"
)
_INTRODUCTION = re.compile(
    # "my name is Jane", "nimeni on Matti", "ich heiße Jörg": one name is enough
    r"\b(?P<greet>(?i:my name is|my name's|my name’s|nimeni on|mein name ist|ich hei(?:ß|ss)e))"
    rf"(?P<sep>\s+)(?P<name>(?:{_TITLES}\s+)?{_PROPER}(?:\s+{_PROPER}){{0,2}})"
    # "I'm Jane Doe", "this is Dr. Smith", "olen Matti Virtanen": a title or two names
    r"|\b(?P<greet2>(?i:i am|i'm|i’m|this is|olen|ich bin))"
    rf"(?P<sep2>\s+)(?P<name2>{_TITLES}\s+{_PROPER}(?:\s+{_PROPER}){{0,2}}"
    rf"|{_PROPER}(?:\s+{_PROPER}){{1,2}})"
)
_NOT_INTRODUCED = _NOT_NAMES | _word_set(
    """
    very so really quite extremely totally absolutely completely utterly just still also not
    happy unhappy glad sad sorry angry upset disappointed satisfied dissatisfied pleased
    frustrated shocked furious thankful grateful writing calling here back again
    """
)
"""Words in Title Case after "I'm" or a sign-off that are no names ("I'm Very Happy",
"Thanks Again!")."""
_PERSONAL_ID = re.compile(
    # Finnish henkilötunnus (DDMMYY, century sign, individual number, check character) and
    # the like: digits the digit-run rule misses because a letter ends them
    r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b",
    re.I,
)


MASKS = re.compile(r"\[(?:EMAIL|ACCOUNT|CARD|PHONE|NUMBER|ID|NAME)\]")
"""The placeholders :func:`mask_personal_data` writes."""


def mask_personal_data(text: str) -> str:
    """Replace personal data in a quote with placeholders.

    Masked: e-mail addresses (``[EMAIL]``), IBANs and other account numbers (``[ACCOUNT]``),
    payment card numbers (13-19 digits passing the Luhn check, ``[CARD]``), phone numbers and
    other runs of seven or more digits (``[PHONE]``/``[NUMBER]``), Finnish personal identity
    codes (``[ID]``), and names after a greeting, in a sign-off or an introduction (``Hi
    John,``, ``hi john,``, ``Hei Matti,``, ``Hallo Herr Müller,``, ``Greetings from Björn
    Åström``, ``Regards, Dr. Anna Virtanen``, ``my name is Jane``, ``I'm Jane Doe``:
    ``[NAME]``; not ``hi there,`` nor ``I'm Jane`` alone, a first name being no one). The rules
    err on the side of masking: a long order number is masked too.

    >>> mask_personal_data("Hei Matti, soita 040 123 4567 tai matti@example.fi")
    'Hei [NAME], soita [PHONE] tai [EMAIL]'
    """
    masked = _EMAIL.sub("[EMAIL]", text)
    masked = _IBAN.sub(_mask_iban, masked)
    masked = _PERSONAL_ID.sub("[ID]", masked)
    masked = _DIGIT_RUN.sub(_mask_digits, masked)
    masked = _INTRODUCTION.sub(_mask_introduced, masked)
    masked = _GREETING.sub(_mask_name, masked)
    masked = _GREETED_WORD.sub(_mask_greeted_word, masked)
    return _SIGN_OFF.sub(_mask_signed, masked)


def _mask_iban(match: re.Match[str]) -> str:
    found = match.group()
    digits = sum(character.isdigit() for character in found)
    if digits < 8:
        return found
    if found[:2].isupper() or _iban_valid(found):  # lower case: only a real IBAN
        return "[ACCOUNT]"
    return found


def _iban_valid(text: str) -> bool:
    """ISO 13616: the country and check digits moved to the end, letters as 10-35, mod 97 = 1."""
    compact = text.replace(" ", "").upper()
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _mask_greeted_word(match: re.Match[str]) -> str:
    """A lower-case word right after a greeting and before a comma is a name ("hi john,"),
    unless it is one of the words greetings are commonly followed by."""
    if match.group("name").casefold() in _NOT_NAMES:
        return match.group()
    return _mask_name(match)


def _mask_digits(match: re.Match[str]) -> str:
    run = match.group()
    digits = "".join(character for character in run if character.isdigit())
    if len(digits) < 7:
        return run
    if 13 <= len(digits) <= 19 and _luhn_valid(digits):
        return "[CARD]"
    if _DATE.fullmatch(run.strip()):
        return run
    separated = any(not character.isdigit() for character in run.lstrip("+"))
    if len(digits) <= 15 and (run.startswith(("+", "(", "0")) or separated):
        return "[PHONE]"
    return "[NUMBER]"


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_name(match: re.Match[str]) -> str:
    return f"{match.group('greet')}{match.group('sep')}[NAME]"


def _first_word(name: str) -> str:
    words = [w for w in name.split() if not re.fullmatch(_TITLES, w)]
    return (words or [""])[0].casefold()


def _mask_signed(match: re.Match[str]) -> str:
    """A sign-off's name, unless its word is one that follows a thanks ("Thanks Again!")."""
    if _first_word(match.group("name")) in _NOT_INTRODUCED:
        return match.group()
    return _mask_name(match)


def _mask_introduced(match: re.Match[str]) -> str:
    first = match.group("greet") is not None
    named, greet, sep = ("name", "greet", "sep") if first else ("name2", "greet2", "sep2")
    if _first_word(match.group(named)) in _NOT_INTRODUCED:
        return match.group()
    return f"{match.group(greet)}{match.group(sep)}[NAME]"


def without_personal_data(text: str) -> str:
    """``text`` with its personal data (:func:`mask_personal_data`) left out entirely, not even
    a placeholder: for counting words, where a placeholder would be a word."""
    return MASKS.sub(" ", mask_personal_data(text))


def distinctive_words(
    texts: Sequence[str], assignment: np.ndarray, n_clusters: int, n_terms: int
) -> list[tuple[str, ...]]:
    """The ``n_terms`` words of highest class-based TF-IDF (c-TF-IDF; Grootendorst 2022) in
    each group of ``texts`` (``assignment[i]`` is text i's group, in ``range(n_clusters)``):
    the words that set a group apart from the others. Content words only, never personal
    data (a name greeted in many comments would otherwise label its group)."""
    tokens = tokenize_batch([without_personal_data(text) for text in texts]).words()
    types = tokens.types
    content = np.fromiter(
        (t.isalpha() and len(t) > 2 and t not in STOPWORDS for t in types),
        dtype=np.bool_,
        count=len(types),
    )
    cluster_of_token = assignment[tokens.sentence_of_token()]
    keep = content[tokens.token_type]
    counts = np.zeros((n_clusters, len(types)))
    np.add.at(counts, (cluster_of_token[keep], tokens.token_type[keep]), 1.0)
    words_per_cluster = counts.sum(axis=1, keepdims=True)
    term_frequency = np.divide(
        counts, words_per_cluster, out=np.zeros_like(counts), where=words_per_cluster > 0
    )
    average_words = max(float(words_per_cluster.mean()), 1.0)
    frequency = counts.sum(axis=0)
    weight = term_frequency * np.log1p(
        np.divide(average_words, frequency, out=np.zeros_like(frequency), where=frequency > 0)
    )
    out: list[tuple[str, ...]] = []
    for cluster in range(n_clusters):
        candidates = np.flatnonzero(weight[cluster] > 0).tolist()
        candidates.sort(key=lambda i: (-weight[cluster, i], types[i]))
        out.append(tuple(types[i] for i in candidates[:n_terms]))
    return out
