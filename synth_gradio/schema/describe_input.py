"""Is a description something the drafter can read? Empty, too long, not English: one sentence each."""

from __future__ import annotations

import re
from typing import Any

from synth_gradio.errors import InputError

MAX_DESCRIPTION = 4000
EXAMPLE = "500 customer complaints for a telecom company, with the plan and the channel"
_WORD = re.compile(r"[a-z][a-z'-]*")
_ENGLISH = {
    "the",
    "a",
    "an",
    "of",
    "for",
    "with",
    "and",
    "to",
    "in",
    "from",
    "records",
    "rows",
    "data",
    "list",
    "some",
    "each",
    "their",
    "by",
    "on",
    "at",
    "that",
    "who",
    "which",
}


def check_description(text: Any) -> str:
    """The description, stripped, or an InputError that says what to write instead."""
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"Describe the records you need in a sentence, for example: {EXAMPLE!r}.")
    text = text.strip()
    if len(text) > MAX_DESCRIPTION:
        raise InputError(
            f"The description is {len(text):,} characters; keep it under {MAX_DESCRIPTION:,} (a paragraph saying "
            "what one record is and which fields it has)."
        )
    words = _WORD.findall(text.lower())
    letters = sum(ch.isalpha() for ch in text)
    ascii_letters = sum(ch.isascii() and ch.isalpha() for ch in text)
    if (letters and ascii_letters / letters < 0.6) or (len(words) >= 6 and not _ENGLISH & set(words)):
        raise InputError(
            "The description could not be read: the offline drafter reads English. Write it in English, or pick a "
            "remote model as the backend and draft again."
        )
    return text
