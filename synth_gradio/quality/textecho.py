"""Prompt echo: model-written text that repeats the prompt instead of writing a value.

A small model copies what it reads around the value it is asked for:
- the record's brief ("a happy, tech-savvy customer; short") as a review title: "Happy, tech-savvy";
- the field guide or a description ("the job title", "a note written by the treating clinician");
- talk about the value's length or form ("one or two lines", "A short explanation of the visit");
- another field's value: a job title that is the company's name.
Each check is cheap (word lists and sets) and general: the phrases come from the schema and the
prompt, never from a list of ours. Wording the schema itself uses (`allowed`) is never an echo.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

BRIEF_RUN = 3  # consecutive words of the brief that make an echo anywhere in a text
GUIDE_RUN = 5  # consecutive words of the field guide (2+ of them content words) that make one
META_WORDS = 8  # a text this short made only of the prompt's words (and talk of writing) says nothing
_META = frozenset(("text", "wrote", "write", "written", "writ", "who", "brief", "field", "value", "record", "here",
                   "about", "what"))  # fmt: skip
SHORT_WORDS = 6  # a value of at most this many words is a short value (a name, a title, a place)
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?")
_STOP = frozenset(
    ("a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is", "are",
     "was", "were", "be", "it", "its", "this", "that", "these", "those", "my", "your", "our", "their", "his",
     "her", "i", "you", "we", "they", "one", "some", "any")
)  # fmt: skip
_LENGTH_TALK = re.compile(
    r"\b(?:one|two|three|a few|a couple of|several)(?: or (?:two|three|a few|more))? (?:lines?|sentences?"
    r"|paragraphs?)\b(?! of)|^(?:an? |the )?(?:short|brief|long|quick) (?:explanation|description|summary|text"
    r"|sentence|phrase|line|note) (?:of|about|for|describing)\b",
    re.IGNORECASE,
)
_ASIDE = re.compile(r"\([^)]*\)|\b(?:e\.g\.|i\.e\.|such as|for example|like)\b.*$|\"[^\"]*\"", re.IGNORECASE)


def _base(word: str) -> str:
    """A word without a possessive, plural or verb ending: officer's, comments and commented meet comment."""
    word = re.sub(r"['\u2019]s?$", "", word)
    for end in ("ing", "ed", "es", "s"):
        if word.endswith(end) and len(word) - len(end) >= 3:
            return word[: -len(end)]
    return word


def words(text: str) -> list[str]:
    return _WORD.findall(str(text).lower())


def _key(value: str) -> str:
    """A value as compared across fields: its words, "&" read as "and"."""
    return " ".join(words(value.replace("&", " and ")))


def _runs(seq: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(seq[i : i + n]) for i in range(len(seq) - n + 1)}


class Echo:
    """The prompt's wording for one run, and the checks of a record's text against it.

    `guide`: the texts the prompt shows around the values (title, descriptions, instructions);
    `free`: the model-written free-text fields; `labels`: fields whose values are categories (enums,
    constants), which a text may name; `allowed`: values the schema itself gives (its examples);
    `said`: the schema's own wording (default: the guide), whose words alone make no value.
    """

    def __init__(
        self,
        guide: Iterable[str],
        free: Iterable[str],
        labels: Iterable[str] = (),
        allowed: str = "",
        said: Iterable[str] | None = None,
    ) -> None:
        texts = [_ASIDE.sub(" ", str(t)) for t in guide if t]
        own = texts if said is None else [_ASIDE.sub(" ", str(t)) for t in said if t]  # the schema's words
        self.phrases = [" ".join(words(t)) for t in texts]
        self.grams = {
            g
            for t in texts
            for g in _runs(words(t), GUIDE_RUN)
            if sum(w not in _STOP for w in g) >= 2  # "of the app in a" is no phrase of the guide
        }
        self.vocabulary = {_base(w) for t in own for w in words(t)} | _META
        self.free = list(free)
        self.labels = set(labels)
        self.allowed = " ".join(words(allowed))

    def problem(self, record: Mapping[str, Any], brief: str = "") -> str | None:
        """Why one of the record's texts echoes its prompt ("echo: ... at $.field"), or None."""
        found = self.find(record, brief)
        return f"echo: {found[1]} at $.{found[0]}" if found else None

    def find(self, record: Mapping[str, Any], brief: str = "") -> tuple[str, str] | None:
        """(field, why) for the first text of the record that echoes its prompt, or None."""
        brief_words = [w for w in words(brief) if w not in ("a", "an")]
        brief_runs = _runs(brief_words, BRIEF_RUN)
        for name in self.free:
            value = record.get(name)
            if not isinstance(value, str) or not value.strip():
                continue
            why = self._text_problem(value, brief_words, brief_runs) or self._copied(name, value, record)
            if why:
                return name, why
        return None

    def _text_problem(self, text: str, brief_words: list[str], brief_runs: set[tuple[str, ...]]) -> str | None:
        ws = words(text)
        if not ws:
            return None
        run = next((g for g in _runs(ws, BRIEF_RUN) if g in brief_runs), None)
        short = len(ws) <= SHORT_WORDS
        if run is None and short and len(ws) >= 2 and set(ws) <= set(brief_words) | _STOP:
            run = tuple(ws)  # "Happy, tech-savvy": nothing but the brief's words
        if run and " ".join(run) not in self.allowed:
            return f"the brief copied into the text ({' '.join(run)!r})"
        talk = _LENGTH_TALK.search(text)
        if talk and " ".join(words(talk.group(0))) not in self.allowed:
            return f"talk about the value instead of a value ({talk.group(0)!r})"
        gram = next((g for g in _runs(ws, GUIDE_RUN) if g in self.grams), None)
        if gram and " ".join(gram) not in self.allowed:
            return f"the field guide copied into the text ({' '.join(gram)!r})"
        if short and len(ws) >= 2 and any(w in _STOP for w in ws):
            phrase = " ".join(ws)
            # "the job title", "the app's name": a description's own phrase given as the value
            if any(f" {phrase} " in f" {p} " for p in self.phrases) and phrase not in self.allowed:
                return f"a description copied as the value ({text.strip()!r})"
        content = [w for w in ws if w not in _STOP and not w.isdigit()]
        said = len(ws) <= META_WORDS and len(content) >= 2 and {_base(w) for w in content} <= self.vocabulary
        if said and " ".join(ws) not in self.allowed:  # "the loan officer wrote the text": the prompt's words alone
            return f"the prompt's own words given as the value ({text.strip()!r})"
        return None

    def _copied(self, name: str, text: str, record: Mapping[str, Any]) -> str | None:
        """Another field's value written again as this one (a job title that is the company's name);
        categories (labels) and fields named alike (city, birth_city) may share values."""
        key = _key(text)
        if len(key) < 3 or not any(ch.isalpha() for ch in key):
            return None
        own = set(words(name.replace("_", " ")))
        for other, value in record.items():
            if other == name or other in self.labels or not isinstance(value, str):
                continue
            if own & set(words(other.replace("_", " "))):
                continue
            if _key(value) == key:
                return f"the value of {other} copied ({text.strip()!r})"
        return None


def schema_guide(json_schema: Mapping[str, Any]) -> list[str]:
    """The wording a prompt built from this schema shows around its values: title, description and
    each field's description (the engine adds its own instructions)."""
    props = json_schema.get("properties") or {}
    texts = [str(json_schema.get("title") or ""), str(json_schema.get("description") or "")]
    return texts + [str(node.get("description", "")) for node in props.values() if isinstance(node, dict)]


def schema_labels(json_schema: Mapping[str, Any]) -> list[str]:
    """Fields whose values are categories (an enum or a constant): a text may name them."""
    props = json_schema.get("properties") or {}
    return [n for n, node in props.items() if isinstance(node, dict) and {"enum", "const"} & set(node)]
