"""The `moderate_signals` component: what the lexicon matches mean in their context.

For every doc it decides how each slur is used (derogatory, reclaimed, quoted,
counter-speech, homonym), which attack words are negated, who is addressed, which protected
group is targeted, and writes a fixed-order row of numbers (`doc._.signals`, columns
`SIGNAL_COLUMNS`) that the classifier reads beside the n-grams.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from app.pipeline.extensions import (
    X_MARKED_NORMS,
    X_MATCHES,
    X_SIGNALS,
    X_TARGET,
    X_TOKEN_FACTS,
    X_VIEW,
    doc_norm_ids,
    register_extensions,
)
from app.pipeline.lexicon import LexMatch, is_strong, longest_spans
from app.pipeline.normalizer import (
    F_DQUOTE,
    F_LETTER_DOT,
    F_NEG,
    F_QMARK,
    F_QUOTE,
    F_SINGLE,
    F_SPACE,
    string_facts,
)
from app.pipeline.words import (
    ANAPHORS,
    CLOSING_QUOTES,
    DOUBLE_QUOTES,
    FIRST_PERSON,
    NEGATORS,
    OPENING_QUOTES,
    SCOPE_BREAKS,
    SECOND_PERSON,
    TOGGLE_QUOTES,
)

MENTION_FRAMES = (
    ("the", "word"),
    ("word",),
    ("called",),
    ("call",),
    ("calling",),
    ("say",),
    ("saying",),
    ("said",),
    ("term",),
    ("like",),
)

SIGNAL_COLUMNS: tuple[str, ...] = (
    "slur_derogatory",
    "slur_unknown",
    "slur_reclaimed",
    "slur_quoted",
    "slur_counter",
    "slur_homonym",
    "slur_severe",
    "slur_you",
    "dehum",
    "dehum_group",
    "dehum_you",
    "dehum_negated",
    "identity_negated",
    "contempt",
    "contempt_group",
    "contempt_negated",
    "exclusion_group",
    "violence",
    "violence_group",
    "violence_you",
    "violence_wish",
    "violence_negated",
    "profanity",
    "profanity_strong",
    "profanity_glued",
    "profanity_you",
    "profanity_group",
    "insult",
    "insult_strong",
    "insult_you",
    "insult_negated",
    "attack_quoted",
    "denied",
    "cue_counter",
    "cue_reported",
    "cue_denial",
    "cue_ingroup",
    "cue_positive",
    "cue_hate_reference",
    "cue_positive_negated",
    "anaphor",
    "anaphor_attack",
    "second_person",
    "first_person",
    "question",
    "caps_ratio",
    "obfuscated",
)
_COLUMN_INDEX = {name: i for i, name in enumerate(SIGNAL_COLUMNS)}
ATTACK_CATEGORIES = frozenset({"slur", "dehumanization", "contempt", "violence", "insult"})


def _negated(span: LexMatch, norms: Sequence[str], negs: Sequence[int], window: int = 3) -> bool:
    if norms[span.start] in NEGATORS:
        return False  # the entry itself is a negated phrase ("not human")
    return any(span.start - window <= i < span.start for i in negs)


def _in_quotes(span: LexMatch, quote_positions: Sequence[int]) -> bool:
    before = sum(1 for i in quote_positions if i < span.start)
    after = any(i >= span.end for i in quote_positions)
    return before % 2 == 1 and after


def _mentioned(span: LexMatch, norms: Sequence[str]) -> bool:
    """The slur is talked about as a word: "the word f*g", "called me a f*g"."""
    for frame in MENTION_FRAMES:
        n = len(frame)
        for gap in (0, 1):  # allow an article: "called me a", "like a"
            lo = span.start - n - gap
            if lo >= 0 and tuple(norms[lo : lo + n]) == frame:
                return True
    return False


def slur_usage(
    span: LexMatch,
    norms: Sequence[str],
    normset: set[str],
    cues: Counter,
    quote_positions: Sequence[int],
) -> str:
    """How a slur span is used; see `app.labels.SLUR_USAGES`."""
    entry = span.entry or {}
    if entry.get("homonym") and normset.intersection(entry.get("homonym_cues", ())):
        return "homonym"
    quoted = _in_quotes(span, quote_positions) or _mentioned(span, norms)
    if cues["counter_speech"]:
        # check counter-speech before derogatory: counter-speech repeats the slur it opposes
        return "counter_speech"
    if quoted or cues["quotation_frame"]:
        return "quoted"
    if entry.get("reclaimable"):
        window = norms[max(0, span.start - 4) : span.start]
        if cues["ingroup"] or FIRST_PERSON.intersection(window):
            return "reclaimed"
        if entry.get("severity") != "severe" and not (normset & SECOND_PERSON):
            # a reclaimable word with no one addressed and no in-group cue: could be either
            return "unknown"
    return "derogatory"


NEGATION_SCOPE = 5  # tokens after a negator that it reaches at most
NEG_PREFIX = "NOT_"  # norms are lowercase, so an uppercase prefix cannot collide
QUOTE_PREFIX = "Q_"


def quote_depths(texts: Sequence[str]) -> list[int]:
    """Positions of the quote marks that open or close a quotation.

    Curly and angle quotes have a direction (“ opens, ” closes, so nesting is followed);
    straight double quotes toggle. Marks that close nothing are ignored, and a quotation
    still open at the end is dropped: an unbalanced mark opens nothing.
    """
    return quote_pairs([(i, t) for i, t in enumerate(texts) if t in DOUBLE_QUOTES])


def quote_pairs(marks: Sequence[tuple[int, str]]) -> list[int]:
    """`quote_depths` from just the quote marks: (token position, text) in text order."""
    stack: list[tuple[int, str]] = []
    used: list[int] = []
    for i, text in marks:
        if text in OPENING_QUOTES:
            stack.append((i, text))
        elif text in CLOSING_QUOTES:
            if stack:
                used += [stack.pop()[0], i]
        elif text in DOUBLE_QUOTES:
            if stack and stack[-1][1] in TOGGLE_QUOTES:
                used += [stack.pop()[0], i]
            else:
                stack.append((i, text))
    return sorted(used)


def scope_marks(
    norms: Sequence[str], quotes: Sequence[int]
) -> tuple[list[str], list[int], list[int]]:
    """Norms for the classifier with negation and quotation scope marked.

    A token within `NEGATION_SCOPE` tokens after a negator (stopped by punctuation or
    "but") becomes `NOT_<norm>`; a token inside balanced double quotes (`quotes` holds the
    positions of balanced quote marks, from `quote_depths`) becomes `Q_<norm>`. So
    "immigrants are not criminals" and 'saying "X are vermin" is vile' do not share their
    hateful n-grams with the statements they deny or quote.

    Returns the marked norms, the negator positions and the quote-mark positions used.
    Only the quoted stretches and the few tokens after each negator are visited.
    """
    quote_set = set(quotes)
    marks = sorted(quote_set)
    # depth of the stretch after each used mark: a mark either closes the innermost open
    # quotation or opens a new one
    depths: list[int] = []
    opened: list[int] = []
    for i in marks:
        if opened and _closes(norms, opened[-1], i, quote_set):
            opened.pop()
        else:
            opened.append(i)
        depths.append(len(opened))
    marked = list(norms)
    bounds = [*marks, len(norms)]
    for k, depth in enumerate(depths):
        if depth > 0:
            for j in range(bounds[k] + 1, bounds[k + 1]):
                norm = norms[j]
                if norm not in NEGATORS and norm not in SCOPE_BREAKS:
                    marked[j] = QUOTE_PREFIX + norm
    negs = [i for i, norm in enumerate(norms) if norm in NEGATORS and not _asks(norms, i)]
    for start in negs:
        k = bisect_left(marks, start) - 1  # the stretch the negator is in
        if k >= 0 and depths[k] > 0:
            continue  # inside a quotation: the next quote mark ends its scope first
        for j in range(start + 1, min(start + 1 + NEGATION_SCOPE, len(norms))):
            norm = norms[j]
            # a quote mark or a break ends the scope; a new negator starts its own
            if j in quote_set or norm in NEGATORS or norm in SCOPE_BREAKS:
                break
            marked[j] = NEG_PREFIX + norm
    return marked, negs, list(quotes)


#: auxiliaries that open a negative question ("Aren't they...?", "Don't you think...?")
QUESTION_AUXILIARIES = frozenset(
    {
        "are",
        "is",
        "am",
        "was",
        "were",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "can",
        "could",
        "would",
        "should",
        "will",
        "wo",
        "ca",
        "shall",
        "must",
        "might",
    }
)
_CLAUSE_ENDS = frozenset({".", "!", "?", ";", ":"})


def _asks(norms: Sequence[str], i: int) -> bool:
    """Whether the negator at `i` opens a negative question rather than negating.

    "Aren't immigrants just parasites?" asserts what it asks: the "n't" right after a
    clause-initial auxiliary, in a clause that ends with a question mark, negates nothing.
    """
    if i == 0 or norms[i] not in ("n't", "not", "n’t") or norms[i - 1] not in QUESTION_AUXILIARIES:
        return False
    if i >= 2 and norms[i - 2] not in _CLAUSE_ENDS and norms[i - 2] not in ("so", "and", "but"):
        return False
    for norm in norms[i + 1 :]:
        if norm == "?":
            return True
        if norm in _CLAUSE_ENDS:
            return False
    return False


def questioned_support(doc: Doc) -> bool:
    """Whether every support cue of `doc` ("deserve rights", "are people") sits in a
    question with no negator: "Do gay people even deserve rights?" asks whether they do,
    where "Don't they deserve rights?" and a statement assert it."""
    cues = [
        m
        for m in doc.user_data.get(X_MATCHES) or ()
        if m.label == "cue" and (m.entry or {}).get("kind") == "positive_identity"
    ]
    if not cues:
        return False
    strings = doc.vocab.strings
    norms = [strings[n] for n in doc_norm_ids(doc)]
    for m in cues:
        a, b = m.start, m.end
        while a > 0 and norms[a - 1] not in _CLAUSE_ENDS:
            a -= 1
        while b < len(norms) and norms[b] not in _CLAUSE_ENDS:
            b += 1
        if b >= len(norms) or norms[b] != "?" or any(n in NEGATORS for n in norms[a:b]):
            return False
    return True


GROUP_TOKEN = "GROUP"


#: nouns after a nationality or group adjective that make it name an institution ("the
#: Syrian Arab Army", "the Turkish government", "Turkish-backed fighters"), not people
INSTITUTION_NOUNS = frozenset(
    {
        "army",
        "armies",
        "government",
        "governments",
        "military",
        "forces",
        "regime",
        "troops",
        "ministry",
        "ministries",
        "embassy",
        "president",
        "minister",
        "parliament",
        "state",
        "authorities",
        "police",
        "navy",
        "officials",
        "intelligence",
        "defense",
        "defence",
        "backed",
        "supported",
        "sponsored",
        "lira",
        "airforce",
        "border",
        "coast",
        "guard",
        "foreign",
        "prime",
        "leadership",
        "administration",
        "court",
        "courts",
        "senate",
        "congress",
        "media",
        "press",
        "occupation",
        "offensive",
        "airstrikes",
        "airstrike",
    }
)


def _drop_institutions(spans: list[LexMatch], norms: Sequence[str]) -> list[LexMatch]:
    """Identity-term matches that modify an institution are not mentions of people."""
    identity_starts = {s.start: s for s in spans if s.label == "identity"}
    if not identity_starts:
        return spans
    dropped: set[int] = set()
    for span in identity_starts.values():
        j = span.end
        # skip over further group adjectives and hyphens: "Syrian Arab Army", "Turkish-backed"
        while j < len(norms) and (j in identity_starts or norms[j] == "-"):
            j = identity_starts[j].end if j in identity_starts else j + 1
        if j < len(norms) and norms[j] in INSTITUTION_NOUNS:
            dropped.add(id(span))
    return [s for s in spans if id(s) not in dropped] if dropped else spans


def _mask_groups(
    marked: list[str],
    spans: Iterable[LexMatch],
    locate: Callable[[LexMatch], list[int]] | None = None,
) -> list[str]:
    """Replace each identity-term mention by one `GROUP` token (keeping its scope mark).

    The classifier then learns what is said about a group, not which groups are named:
    "women are stupid" and "immigrants are stupid" share their features, and naming a
    group in a harmless sentence carries no group-specific prior from the training data.
    `locate(span)` gives the positions in `marked` a span covers when they are not its
    doc token indices (whitespace dropped, a word view).
    """
    identity = longest_spans((s for s in spans if s.label == "identity"), by_words=True)
    if not identity:
        return marked
    out: list[str | None] = list(marked)
    for span in identity:
        positions = list(range(span.start, span.end)) if locate is None else locate(span)
        if not positions:
            continue
        first = positions[0]
        mark = out[first] or ""
        prefix = (
            NEG_PREFIX
            if mark.startswith(NEG_PREFIX)
            else (QUOTE_PREFIX if mark.startswith(QUOTE_PREFIX) else "")
        )
        out[first] = prefix + GROUP_TOKEN
        for k in positions[1:]:
            out[k] = None
    return [m for m in out if m is not None]


_STRING_CACHE_LIMIT = 1_000_000


def _closes(norms: Sequence[str], opener: int, i: int, marks: set[int]) -> bool:
    """Whether the quote mark at `i` closes the quotation opened at `opener`."""
    if norms[i] in CLOSING_QUOTES:
        return True
    if norms[i] in OPENING_QUOTES:
        return False
    return norms[opener] in TOGGLE_QUOTES


class _StringCache(dict):
    """hash -> string, filled from the StringStore on first use (cheaper per token)."""

    def __init__(self, strings) -> None:
        super().__init__()
        self.strings = strings

    def __missing__(self, key: int) -> str:
        value = self.strings[key]
        self[key] = value
        return value


TokenFacts = tuple[int, int, int, int, list[tuple[int, int]]]


def token_facts(doc: Doc) -> TokenFacts:
    """The normalizer's token facts, computed directly (for docs it did not process)."""
    union = upper = letters = singles = 0
    flagged = []
    for t in doc:
        flags, up, let = string_facts(t.text, t.norm_)
        if flags:
            union |= flags
            flagged.append((t.i, flags))
        singles += bool(flags & (F_SINGLE | F_LETTER_DOT))
        upper += up
        letters += let
    return union, upper, letters, singles, flagged


def flagged_positions(facts: TokenFacts, flag: int) -> list[int]:
    """Indices of the tokens that carry `flag` (from the normalizer's token facts)."""
    return [i for i, flags in facts[4] if flags & flag]


class Signals:
    """Computes `doc._.signals`, `doc._.target`, `doc._.marked_norms` and the usage and
    negation of each lexicon span (`span._.usage`, `span._.negated`)."""

    def __init__(self, vocab: Vocab) -> None:
        self._strings = _StringCache(vocab.strings)

    def __call__(self, doc: Doc) -> Doc:
        spans = doc.user_data.get(X_MATCHES) or []
        row = [0.0] * len(SIGNAL_COLUMNS)
        col = _COLUMN_INDEX
        facts = doc.user_data.get(X_TOKEN_FACTS) or token_facts(doc)
        union, upper, letters = facts[:3]
        if letters:
            row[col["caps_ratio"]] = upper / letters
        row[col["question"]] = float(bool(union & F_QMARK))
        # Norms from the token array, not Token objects: this runs for every comment.
        strings = self._strings
        if len(strings) > _STRING_CACHE_LIMIT:
            strings.clear()
        all_norms = list(map(strings.__getitem__, doc_norm_ids(doc)))
        view = doc.user_data.get(X_VIEW)
        # `norms` are the words the classifier reads; `kept[k]` is the doc token of norms[k]
        # (None: the same indices) and `locate(span)` the positions of a match in `norms`
        locate: Callable[[LexMatch], list[int]] | None = None
        if view is not None:
            # spaced letters and glued words: read the doc's words, whitespace dropped
            keep = [k for k, word in enumerate(view.words) if not word.isspace()]
            norms = [view.words[k] for k in keep]
            kept = [view.starts[k] for k in keep]
            word_position = {k: p for p, k in enumerate(keep)}

            def locate(span: LexMatch) -> list[int]:
                a, b = span.words or (0, 0)
                return [word_position[k] for k in range(a, b) if k in word_position]

        elif union & F_SPACE:
            # drop the (few) whitespace tokens
            kept = list(range(len(all_norms)))
            norms = list(all_norms)
            for i in reversed(flagged_positions(facts, F_SPACE)):
                del kept[i], norms[i]
            token_position: dict[int, int] = {}  # filled on the first span located

            def locate(span: LexMatch) -> list[int]:
                if not token_position:
                    token_position.update((i, k) for k, i in enumerate(kept))
                where = token_position
                return [where[i] for i in range(span.start, span.end) if i in where]

        else:
            kept = None
            norms = all_norms
        if union & (F_NEG | F_DQUOTE):
            dquotes = []
            if union & F_DQUOTE:
                dquotes = quote_pairs(
                    [
                        (i if kept is None else bisect_left(kept, i), doc[i].text)
                        for i in flagged_positions(facts, F_DQUOTE)
                    ]
                )
            marked, negs, dquotes = scope_marks(norms, dquotes)
        else:
            marked, negs, dquotes = norms, [], []
        if spans:
            spans = _drop_institutions(spans, all_norms)
        doc.user_data[X_MARKED_NORMS] = _mask_groups(marked, spans, locate) if spans else marked
        if not norms:
            doc.user_data[X_SIGNALS] = row
            doc.user_data[X_TARGET] = "none"
            return doc
        if kept is not None:
            # positions index the whitespace-free token list; spans use doc indices
            negs = [kept[k] for k in negs]
            dquotes = [kept[k] for k in dquotes]
        normset = set(norms)
        second = bool(normset & SECOND_PERSON)
        row[col["second_person"]] = float(second)
        row[col["first_person"]] = float(bool(normset & FIRST_PERSON))
        anaphor = bool(normset & ANAPHORS)
        row[col["anaphor"]] = float(anaphor)
        if not spans:
            doc.user_data[X_SIGNALS] = row
            doc.user_data[X_TARGET] = "individual" if second else "none"
            return doc

        def in_negation_scope(span: LexMatch) -> bool:
            positions = [span.start] if locate is None else locate(span)
            return bool(positions) and marked[positions[0]].startswith(NEG_PREFIX)

        quote_positions = flagged_positions(facts, F_QUOTE) if union & F_QUOTE else []
        dquote_positions = dquotes
        cues: Counter = Counter()
        groups: Counter = Counter()
        by_cat: dict[str, list[LexMatch]] = {}
        for span in spans:
            entry = span.entry or {}
            cat = span.label
            by_cat.setdefault(cat, []).append(span)
            if cat == "cue":
                kind = entry.get("kind", "")
                if kind == "denial" and any(
                    _asks(all_norms, k) for k in range(span.start, span.end)
                ):
                    continue  # "aren't they ...?" asks, it does not deny
                cues[kind] += 1
                if kind == "positive_identity" and _negated(span, all_norms, negs, 2):
                    row[col["cue_positive_negated"]] += 1
            elif cat == "identity":
                groups[entry.get("group")] += 1
                if _negated(span, all_norms, negs, 2):
                    row[col["identity_negated"]] += 1
            if span.normalized is not None:
                row[col["obfuscated"]] += 1
        for kind, name in (
            ("counter_speech", "cue_counter"),
            ("reported_speech", "cue_reported"),
            ("denial", "cue_denial"),
            ("ingroup", "cue_ingroup"),
            ("positive_identity", "cue_positive"),
            ("hate_reference", "cue_hate_reference"),
        ):
            row[col[name]] = float(cues[kind])

        for span in by_cat.get("slur", ()):
            entry = span.entry or {}
            usage = slur_usage(span, all_norms, normset, cues, quote_positions)
            span.usage = usage
            row[col[f"slur_{'counter' if usage == 'counter_speech' else usage}"]] += 1
            if usage == "derogatory":
                groups[entry.get("group")] += 1
                if entry.get("severity") == "severe":
                    row[col["slur_severe"]] += 1
                if second:
                    row[col["slur_you"]] += 1
        group_named = bool(groups)
        # "stop spreading hate about X": an attack word inside a phrase that talks about
        # hate (a counter-speech or hate-reference cue) is mentioned, not used
        talked_about: set[int] = set()
        for span in by_cat.get("cue", ()):
            if span.entry.get("kind") in ("counter_speech", "hate_reference"):
                talked_about.update(range(span.start, span.end))
        for cat, base in (
            ("dehumanization", "dehum"),
            ("contempt", "contempt"),
            ("violence", "violence"),
            ("insult", "insult"),
        ):
            for span in by_cat.get(cat, ()):
                # an attack word is negated inside a negation scope ("are not criminals")
                # or when the text calls the claim false ("it's a myth that ...")
                negated = in_negation_scope(span) or bool(cues["denial"])
                span.negated = negated
                if negated:
                    row[col[f"{base}_negated"]] += 1
                    continue
                if (dquote_positions and _in_quotes(span, dquote_positions)) or (
                    talked_about and span.start in talked_about
                ):
                    row[col["attack_quoted"]] += 1
                    continue
                row[col[base]] += 1
                if group_named and f"{base}_group" in col:
                    row[col[f"{base}_group"]] += 1
                if second and f"{base}_you" in col:
                    row[col[f"{base}_you"]] += 1
                entry = span.entry or {}
                kind = entry.get("kind")
                if cat == "violence" and kind in ("wish", "phrase"):
                    row[col["violence_wish"]] += 1
                if kind == "exclusion" and group_named:
                    row[col["exclusion_group"]] += 1
                if cat == "insult" and is_strong(entry):
                    row[col["insult_strong"]] += 1
                if anaphor and cat != "insult":
                    row[col["anaphor_attack"]] += 1
        live = sum(row[col[c]] for c in ("dehum", "contempt", "violence", "attack_quoted"))
        denied = sum(row[col[c]] for c in ("dehum_negated", "contempt_negated", "violence_negated"))
        if denied and not live and not row[col["slur_derogatory"]]:
            row[col["denied"]] = 1.0
        for span in by_cat.get("profanity", ()):
            entry = span.entry or {}
            row[col["profanity"]] += 1
            if is_strong(entry):
                row[col["profanity_strong"]] += 1
            if span.normalized and " " in span.normalized:
                row[col["profanity_glued"]] += 1
            if second:
                row[col["profanity_you"]] += 1
            if group_named:
                row[col["profanity_group"]] += 1
        doc.user_data[X_SIGNALS] = row
        if groups:
            doc.user_data[X_TARGET] = groups.most_common(1)[0][0]
        elif second or by_cat.get("insult") or row[col["profanity_glued"]]:
            doc.user_data[X_TARGET] = "individual"
        else:
            doc.user_data[X_TARGET] = "none"
        return doc


@Language.factory(
    "moderate_signals",
    requires=["doc._.matches"],
    assigns=["doc._.signals", "doc._.target"],
    default_config={},
)
def make_signals(nlp: Language, name: str) -> Signals:
    """Factory for :class:`Signals`."""
    register_extensions()
    return Signals(nlp.vocab)
