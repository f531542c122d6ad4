"""The `moderate_lexicon` component: curated term lists matched on de-obfuscated norms.

The term lists are data: the project's source lists live in `training/lexicon/`, are loaded
with :func:`read_lexicon_dir` when a model is built, and are saved with the pipeline
(`to_disk`) so a shipped model carries exactly the lexicon it was trained with.

Matches become `doc._.matches`, a list of :class:`LexMatch` (token start/end, category —
`slur`, `dehumanization`, `profanity`, `insult`, `violence`, `identity`, `contempt`, `cue` —
the lexicon entry, and the de-obfuscated form). Plain objects rather than `Span`s with custom
attributes: this runs on every comment, and `as_spans(doc)` gives spaCy spans to inspect.
Tricks that span several tokens or hide inside one are found here too: s p a c e d
or d.o.t.t.e.d letters, words glued into one token ("killalljews"), a symbol glued in
front ("$hit") and a profanity glued to a name ("Erdocunt", flagged by the normalizer).
Spaced letters and glued words change how many words the tokens hold: for a doc that has
either, the phrases are matched on its words (`app.pipeline.word_view.WordView`, kept in
`doc._.word_view` for `moderate_signals`), and each match still covers whole tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from app.pipeline.extensions import (
    X_GLUED,
    X_MATCHES,
    X_TOKEN_FACTS,
    X_VIEW,
    doc_norm_ids,
    register_extensions,
)
from app.pipeline.normalize import deobfuscate
from app.pipeline.normalizer import (
    F_LETTER_DOT,
    F_OBFUSCATED,
    F_PIECE,
    F_SINGLE,
    F_SPLIT,
    F_SYMBOL,
    F_TAIL,
)
from app.pipeline.word_readings import being_groups, split_word_joins
from app.pipeline.word_view import WordView, build_view, spaced_runs

#: Source file name -> category of its entries.
CATEGORY_FILES: dict[str, str] = {
    "slurs.jsonl": "slur",
    "dehumanizing.jsonl": "dehumanization",
    "profanity.jsonl": "profanity",
    "violence.jsonl": "violence",
    "identity.jsonl": "identity",
    "insults.jsonl": "insult",
    "contempt.jsonl": "contempt",
    "cues.jsonl": "cue",
}


@dataclass(slots=True)
class LexMatch:
    """One lexicon match: tokens `start:end` of a doc, its category and entry.

    `usage` (slurs) and `negated` (attack words) are filled in by `moderate_signals`.
    When the doc has a word view, `words` is the match's range of its entries.
    """

    start: int
    end: int
    label: str
    entry: dict[str, Any]
    normalized: str | None = None
    usage: str | None = None
    negated: bool = False
    words: tuple[int, int] | None = None

    def char_span(self, doc: Doc) -> tuple[int, int]:
        """Character offsets of the match in the doc's (original) text."""
        last = doc[self.end - 1]
        return doc[self.start].idx, last.idx + len(last.text)


def is_strong(entry: dict[str, Any] | None) -> bool:
    """A strong insult (`strength: strong`) or a strong obscenity (`severity: strong`):
    the words the card's lexical floors lift (signals `insult_strong`, `profanity_strong`)
    and that are evidence even beside the span model's spans."""
    entry = entry or {}
    return entry.get("strength") == "strong" or entry.get("severity") == "strong"


def read_lexicon_dir(path: str | Path) -> tuple[list[dict[str, Any]], list[str]]:
    """Read the project's source term lists.

    Returns the entries (each with a `category`, a `term` and `variants`) and the glue
    allow list (ordinary words that start or end with a profanity stem).
    """
    path = Path(path)
    entries: list[dict[str, Any]] = []
    for filename, category in CATEGORY_FILES.items():
        file = path / filename
        if not file.exists():
            continue
        for row in srsly.read_jsonl(file):
            row = dict(row)
            if category == "cue":
                row["term"] = row.pop("cue")
            row["category"] = category
            row["term"] = str(row["term"]).strip().lower()
            row["variants"] = [str(v).strip().lower() for v in row.get("variants", []) if v]
            entries.append(row)
    allow_file = path / "glue_allowlist.txt"
    allow = []
    if allow_file.exists():
        allow = [w.strip().lower() for w in allow_file.read_text().splitlines() if w.strip()]
    return entries, allow


def entry_forms(entry: dict[str, Any]) -> list[str]:
    """The surface forms of an entry: its term and its variants, de-duplicated."""
    return list(dict.fromkeys([entry["term"], *entry.get("variants", [])]))


#: nouns after which an adjective names a group of people ("old people", "straight person")
_PEOPLE_NOUNS = frozenset({"people", "person", "persons", "folks", "ppl"})
#: such adjectives that after "being" mostly describe something else: "stop being little
#: bitches" names no group
_BEING_NOT_A_GROUP = frozenset({"little"})


def being_words(entries: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Adjectives that the identity lexicon lists only before a word for people ("old"
    of "old people"), each with that entry: after "being" they name the group."""
    identity = [e for e in entries if e["category"] == "identity"]
    single = {f.lower() for e in identity for f in entry_forms(e) if " " not in f}
    words: dict[str, dict[str, Any]] = {}
    for entry in identity:
        for form in entry_forms(entry):
            parts = form.lower().split()
            if (
                len(parts) == 2
                and parts[1] in _PEOPLE_NOUNS
                and parts[0] not in single
                and parts[0] not in _BEING_NOT_A_GROUP
            ):
                words.setdefault(parts[0], entry)
    return words


class LexiconMatcher:
    """Finds lexicon terms in a doc, however they were spelled.

    Parameters
    ----------
    nlp : Language
        The pipeline; its tokenizer turns the lexicon forms into patterns.
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.entries: list[dict[str, Any]] = []
        self.glue_allowlist: list[str] = []
        self._build()

    # -- data -----------------------------------------------------------------------------
    def set_entries(self, entries: Sequence[dict[str, Any]], glue_allowlist: Sequence[str]) -> None:
        """Replace the lexicon and configure the normalizer to resolve to its forms."""
        self.entries = [dict(e) for e in entries]
        self.glue_allowlist = list(glue_allowlist)
        self._build()

    def _build(self) -> None:
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        self._by_key: dict[int, dict[str, Any]] = {}
        self._single: dict[str, dict[str, Any]] = {}
        self._profanity: dict[str, dict[str, Any]] = {}
        #: the forms of each entry by its matcher key (not by `id(entry)`: a pickled
        #: pipeline's entries are new objects, and every phrase lookup raised KeyError)
        self._forms: dict[int, frozenset[str]] = {}
        #: forms of two words or more ("spear chucker"): written so, they are no split word
        self._phrases_forms = frozenset(
            form.lower() for e in self.entries for form in entry_forms(e) if " " in form
        )
        self._being_words = being_words(self.entries)
        make_doc = self.nlp.make_doc
        for index, entry in enumerate(self.entries):
            key = f"moderate_lex_{index}"
            forms = entry_forms(entry)
            self.matcher.add(key, [make_doc(form) for form in forms])
            key_id = self.nlp.vocab.strings[key]
            self._by_key[key_id] = entry
            self._forms[key_id] = frozenset(forms)
            for form in forms:
                if " " not in form and entry["category"] != "cue":
                    # first entry wins: slurs are listed before the other categories
                    self._single.setdefault(form, entry)
                    if entry["category"] == "profanity":
                        self._profanity.setdefault(form, entry)
        if "moderate_normalizer" in self.nlp.pipe_names:
            stems = {
                e["term"] for e in self.entries if e["category"] == "profanity" and e.get("glue")
            }
            self.nlp.get_pipe("moderate_normalizer").configure(
                self._single.keys(), stems, self.glue_allowlist
            )

    # -- matching -------------------------------------------------------------------------
    def _span(
        self, doc: Doc, start: int, end: int, entry: dict[str, Any], normalized: str | None
    ) -> LexMatch:
        return LexMatch(start, end, entry["category"], entry, normalized)

    def match(self, doc: Doc) -> list[LexMatch]:
        """All lexicon matches of `doc`: phrase matches (on its words when spaced letters
        or glued words make them differ from its tokens), symbol prefixes, glued profanity.
        """
        facts = doc.user_data.get(X_TOKEN_FACTS)
        union, singles = (facts[0], facts[3]) if facts else (~0, len(doc))
        # the cheap facts gathered by the normalizer say whether the slower scans can match
        view = None
        joins = self._joins(doc, facts) if facts and union & (F_PIECE | F_TAIL) else []
        if singles >= 3 or union & F_SPLIT or joins:
            view = self._view(doc, facts, joins)
        # the tokens whose norm is not their text: only matches over one can be normalized
        obfuscated: set[int] = set()
        if union & F_OBFUSCATED:
            obfuscated = (
                {i for i, flags in facts[4] if flags & F_OBFUSCATED}
                if facts
                else set(range(len(doc)))
            )
        if view is None:
            spans = self._phrases(doc, obfuscated)
        else:
            doc.user_data[X_VIEW] = view
            spans = self._view_phrases(doc, view, obfuscated)
        if self._being_words and view is None:
            spans.extend(self._being_groups(doc, spans))
        if union & F_SYMBOL:
            spans.extend(self._symbol_prefixed(doc))
        glued = doc.user_data.get(X_GLUED)
        if glued:
            normalizer = self.nlp.get_pipe("moderate_normalizer")
            for i in glued:
                stem, rest = normalizer.glued[doc[i].orth]
                entry = self._profanity.get(stem)
                if entry is not None:
                    lower = doc[i].norm_
                    normalized = f"{stem} {rest}" if lower.startswith(stem) else f"{rest} {stem}"
                    span = self._span(doc, i, i + 1, entry, normalized)
                    spans.append(span)
        if view is not None:
            first, last = view.first_word(), view.last_word()
            for m in spans:
                if m.words is None:
                    m.words = (first[m.start], last[m.end - 1] + 1)
        return spans

    def _phrases(self, doc: Doc, obfuscated: set[int]) -> list[LexMatch]:
        """Phrase matches on the doc's token norms; a match over one of the `obfuscated`
        tokens whose text is not a form of its entry gets its `normalized` form."""
        spans: list[LexMatch] = []
        for key, start, end in self.matcher(doc):
            entry = self._by_key[key]
            normalized = None
            if (
                obfuscated
                and entry["category"] != "cue"
                and not obfuscated.isdisjoint(range(start, end))
            ):
                span = doc[start:end]
                if span.text.lower() not in self._forms[key]:
                    normalized = " ".join(t.norm_ for t in span)
            spans.append(LexMatch(start, end, entry["category"], entry, normalized))
        return spans

    def _joins(self, doc: Doc, facts: tuple) -> list[tuple[int, int, str, bool]]:
        """Two neighbouring tokens that spell a lexicon form with the space between them
        removed ("sc um", "wom en"), as `(start, end, form, stop)` entries of a view."""
        normalizer = self.nlp.get_pipe("moderate_normalizer")
        return split_word_joins(doc, facts, normalizer.joined_form, self._phrases_forms)

    def _view(
        self,
        doc: Doc,
        facts: tuple | None,
        joins: Sequence[tuple[int, int, str, bool]] = (),
    ) -> WordView | None:
        """The doc's words, when spaced letters spell a known word, a space splits a
        lexicon form (`joins`) or a token's norm is several words ("killalljews"); None
        when its words are just its tokens."""
        normalizer = self.nlp.get_pipe("moderate_normalizer")
        if facts is not None:
            letters = [i for i, flags in facts[4] if flags & F_SINGLE]
            dotted = {i for i, flags in facts[4] if flags & F_LETTER_DOT}
            split = [i for i, flags in facts[4] if flags & F_SPLIT]
        else:
            letters = [t.i for t in doc if len(t.text) == 1 and t.text.isalnum()]
            dotted = {t.i for t in doc if len(t.text) == 2 and t.text[1] == "." and t.is_alpha}
            split = [t.i for t in doc if " " in t.norm_]
        collapsed: list[tuple[int, int, str, bool]] = []
        for run in spaced_runs(doc, letters, dotted):
            chars = [doc[i].text[0] for i in run]
            for a, b, word in normalizer.spelling.collapse(chars, normalizer.known_form):
                # a last letter with its full stop ("t h e r e."): the stop stays a word
                collapsed.append((run[a], run[b - 1] + 1, word, run[b - 1] in dotted))
        if joins:
            taken = {i for a, b, _, _ in collapsed for i in range(a, b)}
            collapsed += [j for j in joins if j[0] not in taken and j[1] - 1 not in taken]
            collapsed.sort()
        if not collapsed and not split:
            return None
        strings = doc.vocab.strings
        norms = [strings[n] for n in doc_norm_ids(doc)]
        return build_view(norms, collapsed, split)

    def _view_phrases(self, doc: Doc, view: WordView, obfuscated: set[int]) -> list[LexMatch]:
        """Phrase matches on the doc's words, each mapped back to the tokens it covers.

        A match that covers a rewritten word (collapsed letters, a piece of a glued token)
        is `normalized` to the words of all the tokens it covers ("f a g" -> "fag",
        "killalljews" -> "kill all jews"); any other match as in :meth:`_phrases`.
        """
        words = Doc(self.nlp.vocab, words=view.words)
        for token, word in zip(words, view.words, strict=True):
            token.norm_ = word  # a word is a norm already: match it as it is
        first, last = view.first_word(), view.last_word()
        spans: list[LexMatch] = []
        for key, a, b in self.matcher(words):
            entry = self._by_key[key]
            start, end = view.starts[a], view.ends[b - 1]
            covered = range(first[start], last[end - 1] + 1)
            normalized = None
            if entry["category"] != "cue":
                if any(view.rewritten[k] for k in covered):
                    normalized = " ".join(view.words[k] for k in covered)
                elif (
                    not obfuscated.isdisjoint(range(start, end))
                    and doc[start:end].text.lower() not in self._forms[key]
                ):
                    normalized = " ".join(t.norm_ for t in doc[start:end])
            m = LexMatch(start, end, entry["category"], entry, normalized, words=(a, b))
            spans.append(m)
        return spans

    def _being_groups(self, doc: Doc, spans: Sequence[LexMatch]) -> list[LexMatch]:
        """"being old", "being straight": the group an adjective names beside "people"."""
        covered = {i for m in spans if m.label == "identity" for i in range(m.start, m.end)}
        return [
            self._span(doc, i, i + 1, entry, None)
            for i, entry in being_groups(doc, covered, self._being_words)
        ]

    def _symbol_prefixed(self, doc: Doc) -> list[LexMatch]:
        spans = []
        for tok in doc[:-1]:
            if len(tok.text) == 1 and not tok.whitespace_ and not tok.is_alpha:
                nxt = doc[tok.i + 1]
                candidate = deobfuscate(tok.text + nxt.text)
                entry = self._single.get(candidate)
                if entry is not None and entry["category"] != "identity":
                    spans.append(self._span(doc, tok.i, tok.i + 2, entry, candidate))
        return spans

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[X_MATCHES] = self.match(doc)
        return doc

    # -- serialization ----------------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "entries.jsonl", self.entries)
        (path / "glue_allowlist.txt").write_text("\n".join(self.glue_allowlist) + "\n")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> LexiconMatcher:
        path = Path(path)
        entries = list(srsly.read_jsonl(path / "entries.jsonl"))
        allow = [w for w in (path / "glue_allowlist.txt").read_text().splitlines() if w]
        self.set_entries(entries, allow)
        return self


def longest_spans(matches: Iterable[LexMatch], *, by_words: bool = False) -> list[LexMatch]:
    """Non-overlapping matches, longest first, in text order (like spaCy's filter_spans).

    Overlap is judged on tokens, or with `by_words` on the doc's words where a match has
    them (two words glued in one token, "blackwomen", are two matches that do not
    overlap)."""
    matches = list(matches)
    if len(matches) < 2:
        return matches  # nothing can overlap (the common case, on every scored comment)

    def bounds(m: LexMatch) -> tuple[int, int]:
        return m.words if by_words and m.words is not None else (m.start, m.end)

    taken: set[int] = set()
    out = []
    for m in sorted(matches, key=lambda m: (bounds(m)[0] - bounds(m)[1], bounds(m)[0])):
        a, b = bounds(m)
        if not taken.intersection(range(a, b)):
            out.append(m)
            taken.update(range(a, b))
    return sorted(out, key=lambda m: bounds(m)[0])


def as_spans(doc: Doc) -> list[Span]:
    """The doc's lexicon matches as spaCy spans labelled with their category."""
    return [Span(doc, m.start, m.end, label=m.label) for m in doc.user_data.get(X_MATCHES) or ()]


@Language.factory(
    "moderate_lexicon",
    requires=["token.norm"],
    assigns=["doc._.matches"],
    default_config={},
)
def make_lexicon(nlp: Language, name: str) -> LexiconMatcher:
    """Factory for :class:`LexiconMatcher`."""
    register_extensions()
    return LexiconMatcher(nlp)
