"""Which language a text is in: an ISO 639-1 code, or `und` when it cannot be told.

The model reads English only, so what matters is spotting text it cannot read, cheaply:

1. **English at a glance** (no identifier run): a text whose words (tokens of two or
   more letters and nothing else, so @mentions, URLs and numbers do not count) are, for at
   least :data:`ENGLISH_SHARE` of them, common English function words ("the", "you",
   "is", "and"...) or words of the pipeline's English lexicon (slurs, insults, profanity,
   identity terms) is `en`. That is nearly every English comment. The pipeline's
   normalizer counts these words as it reads each distinct token string
   (:func:`word_facts`), so the check costs one addition per token.
2. **No sign of another language**: a text without a non-ASCII letter and without a
   function word of another language (:data:`FOREIGN_WORDS`: "que", "und", "het"...) is
   `und`, as is one of fewer than :data:`MIN_WORDS` words and :data:`MIN_LETTERS` letters
   ("lol", "ok", "Grandma Jo").
3. Otherwise the language identifier of `py3langid` (a naive Bayes model over byte
   n-grams, about 140 languages; its model ships inside the package as NumPy arrays, no
   pickle) decides on the text's first :data:`MAX_IDENTIFIED_CHARS` characters: its
   answer when it is at least :data:`MIN_CONFIDENCE` sure (or says English), `und` when it
   is not. The identifier is loaded on first use (about 0.5 s), so a process that only
   ever sees English never pays for it.

Codes without an ISO 639-1 form are mapped to their macrolanguage where there is one
("arz" Egyptian Arabic -> "ar") and to `und` otherwise.
"""

from __future__ import annotations

import gc
import threading
import unicodedata
from collections.abc import Collection, Sequence
from typing import Any

UNDETERMINED = "und"
ENGLISH = "en"
#: languages the shipped model reads (a model card may say otherwise with `languages`)
SUPPORTED: tuple[str, ...] = (ENGLISH,)
MIN_WORDS = 3
MIN_LETTERS = 12
MIN_CONFIDENCE = 0.9
#: share of a text's words that are English function words for "English at a glance"
ENGLISH_SHARE = 0.2

#: Frequent English function words and chat words. Words just as common in other languages
#: written in Latin letters ("a", "i", "u", "in", "no", "so", "me", "he", "do", "am", "die",
#: "was", "will", "also", "man", "come", "son", "per") are left out, so they cannot make a
#: foreign text look English. The last line holds pieces the tokenizer cuts from English
#: contractions ("ai|n't", "ca|n't", "gon|na") and the "amp" of an HTML "&amp;".
ENGLISH_WORDS = frozenset(
    """
    the and you your you're youre yours i'm im i've i'd i'll is are isn't aren't wasn't
    were weren't be been being have has had haven't hasn't does did don't doesn't didn't
    dont doesnt didnt not of to for with at by from about into over after before it it's
    its this that these those they them their theirs there here she his her him we us our
    my mine what which who whom whose why how when where than then just only very really
    can can't cannot could couldn't would wouldn't should shouldn't must might shall may or
    if because but while though although all any some every each other more most such many
    much few own same too again ever never always nothing something anything everything
    anyone someone everyone nobody people like get got go going gone know think want make
    made say said see seen look good bad well lol lmao omg ur yeah yes okay thanks thank
    please sorry one two out up down off ours let let's that's there's what's who's it'll
    won't wont cant ive
    ai nt ca wo gon wan amp
    """.split()
)

#: py3langid codes -> ISO 639-1 (macrolanguage) where the model's code has no 2-letter form
_TO_ISO_639_1 = {
    "arz": "ar",
    "ary": "ar",
    "uzs": "uz",
    "yue": "zh",
    "wuu": "zh",
    "gug": "gn",
    "hbo": "he",
    "sdh": "ku",
}

_identifier: Any = None
_identifier_lock = threading.Lock()


def _load_identifier() -> Any:
    """py3langid's identifier with probabilities, loaded once per process (thread-safe)."""
    global _identifier
    if _identifier is None:
        with _identifier_lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                # its tables include Python lists of ~200k ints, which every full garbage
                # collection would walk again (13 ms each, ~9% of scoring time in a
                # benchmark): like the model (see Moderator.load), they live as long as
                # the process, so they leave the collector's view
                gc.freeze()
    return _identifier


def iso_639_1(code: str) -> str:
    """A py3langid code as an ISO 639-1 code, or `und`."""
    if len(code) == 2:
        return code
    return _TO_ISO_639_1.get(code, UNDETERMINED)


#: Very frequent function words of the languages in Latin script that comment sections see
#: most (Spanish, Portuguese, French, Italian, German, Dutch, Swedish, Turkish, Polish,
#: Romanian). One of them in a text is a *mark* that it may not be English, so the
#: identifier is asked; it is the identifier that decides. Words that are also English
#: ("die", "den", "also", "hay", "los", "op", "sus", "um", "na"...) are left out: on an
#: English text they would only cost an identifier run.
FOREIGN_WORDS = frozenset(
    """
    que por para con sin pero como muy porque cuando donde este estos estas eso esto
    son está están ser su nos se ni también todo todos una unos unas más
    os um uma uns umas não nao com sem mas mais muito já quando onde isso isto são
    é estão há seu sua seus suas nós eles elas ele ela você voce tudo pra
    du aux et est sont pas ou où avec dans sur ce cette ces qui quoi nous vous ils elles
    je tu ne très aussi tout tous être avoir fait comme
    lo gli della delle degli nel nella non che sono ma anche molto più questo questa
    questi quello tutto tutti essere ho hai abbiamo perché
    der das dem ein eine einen einem einer und ist sind nicht mit für auf aus bei nach
    zu zum zur auch noch nur schon sehr wie wenn aber oder dass ich er sie wir ihr es sich
    mich dich kein keine haben wird werden
    het een niet voor aan bij naar uit dit deze wat waar hoe maar ook nog wel geen zijn
    heeft hebben wordt worden jij ik hij zij wij jullie
    och att det som ett är inte med för av till jag hon eller
    bir bu şu ile için ama çok daha gibi değil yok
    się jest że nie jak ale tak czy tylko już są być
    și nu cu în este sunt dar că mai foarte
    """.split()
)

# A text's word facts, packed in one int so the normalizer adds them up with one addition
# per token: words (tokens of letters only), English words, and marks of another language
# (non-ASCII letters, and function words of FOREIGN_WORDS).
_SHIFT = 32
_FIELD = (1 << _SHIFT) - 1
ENGLISH_WORD = 1 << _SHIFT
FOREIGN_MARK = 1 << (2 * _SHIFT)
#: longest prefix of a text the identifier reads (its cost grows with the length)
MAX_IDENTIFIED_CHARS = 1000


def word_facts(token: str, lexicon: Collection[str] = (), raw: str | None = None) -> int:
    """The packed word facts of one token (see :func:`unpack_facts`): `token` is the form
    words are read from (as written, or the normalized form of a disguised word), `raw`
    the token as written (default: `token`), whose non-ASCII letters are marks.

    A word is two or more letters and nothing else ("h e a d" spaced out is not four
    words); a short all-capital token that is not an English word (an acronym: "FBI",
    "DOJ") is language-neutral and is not counted either. A word counts as English when
    it is a function word of :data:`ENGLISH_WORDS` or a word of `lexicon` (the pipeline's
    English lexicon: "stupid moron" has no function word, but is English).
    """
    raw = token if raw is None else raw
    facts = 0
    if len(token) > 1 and token.isalpha():
        lower = token.lower()
        if lower in ENGLISH_WORDS or lower in lexicon:
            facts = 1 + ENGLISH_WORD
        else:
            if not (len(token) <= 4 and token.isupper()):
                facts = 1
            if raw.lower() in FOREIGN_WORDS:
                facts += FOREIGN_MARK
    if not raw.isascii():
        facts += FOREIGN_MARK * sum(1 for c in raw if c.isalpha() and not c.isascii())
    return facts


def unpack_facts(facts: int) -> tuple[int, int, int]:
    """`(words, English words, marks of another language)` of a sum of :func:`word_facts`."""
    return facts & _FIELD, (facts >> _SHIFT) & _FIELD, facts >> (2 * _SHIFT)


def text_facts(text: str) -> int:
    """:func:`word_facts` summed over a text's whitespace-separated words (punctuation at
    their edges stripped), for texts the pipeline's normalizer did not count."""
    words = unicodedata.normalize("NFKC", text).split()
    return sum(word_facts(w.strip(_EDGE_PUNCTUATION)) for w in words)


_EDGE_PUNCTUATION = "\"'.,;:!?()[]{}<>«»“”‘’…-*_/|"


def language_of(text: str, facts: int) -> str:
    """The language of a text whose word facts are `facts` (see the module docstring)."""
    words, english, marks = unpack_facts(facts)
    if english and english >= ENGLISH_SHARE * words:
        return ENGLISH
    if not marks:
        # no sign of another language either (ASCII letters, no foreign function word):
        # an English-looking text the cheap check cannot confirm
        return UNDETERMINED
    if words < MIN_WORDS and sum(1 for c in text if c.isalpha()) < MIN_LETTERS:
        return UNDETERMINED
    # NFKC: "𝐍𝐨𝐫𝐭𝐡" (mathematical bold) is read as the "North" it shows
    sample = unicodedata.normalize("NFKC", text[:MAX_IDENTIFIED_CHARS])
    code, confidence = _load_identifier().classify(sample)
    if code == ENGLISH:
        return ENGLISH
    if confidence < MIN_CONFIDENCE:
        return UNDETERMINED
    return iso_639_1(code)


def languages_of(texts: Sequence[str], facts: Sequence[int | None]) -> list[str]:
    """:func:`language_of` for a batch (None facts: counted from the text); the English at
    a glance test is inlined, since it decides nearly every comment."""
    out = []
    share = ENGLISH_SHARE
    for text, counted in zip(texts, facts, strict=True):
        packed = text_facts(text) if counted is None else counted
        english = (packed >> _SHIFT) & _FIELD
        if english and english >= share * (packed & _FIELD):
            out.append(ENGLISH)
        else:
            out.append(language_of(text, packed))
    return out


def detect_language(text: str) -> str:
    """The language of one text, for callers without a processed doc."""
    return language_of(text, text_facts(text))


def warm_up() -> None:
    """Load the identifier now (a server does it before it reports ready)."""
    _load_identifier()
