"""What a text says was decided, against the decision its record's status holds.

Why: a loan officer's comment "I approve this loan" beside status "rejected", or an adjuster's note
"the claim was approved" on a claim still "open", is the contradiction a reader of the data sees
first, and a small base model writes it in a third of such records. A status, state, outcome or
decision enum whose values name a decision (approved, rejected, under review) is placed on one
scale: granted (+1), pending (0), refused (-1). A text is read for what it states as decided: an
approval or a refusal, a negated one ("was not approved", "cannot approve") as its opposite's
weaker form, and nothing where the word is hoped for or conditional ("pending approval", "once
approved", "will be reviewed and approved"). One mechanism serves loans, claims, applications,
refunds, permits and schemas nobody has seen yet: it keys on words, not on any schema.
"""

from __future__ import annotations

import re
from typing import Any

OUTCOME = "outcome"

NAMES = {"status", "state", "stage", "outcome", "decision", "result", "verdict", "disposition", "determination"}
GRANTED, PENDING, REFUSED = 1.0, 0.0, -1.0
_VALUES = {
    GRANTED: {"approved", "approve", "accepted", "accept", "granted", "grant", "authorized", "authorised",
              "sanctioned", "funded", "allowed"},
    REFUSED: {"denied", "deny", "rejected", "reject", "declined", "decline", "refused", "refuse", "disapproved",
              "turned_down", "ineligible", "unsuccessful"},
    PENDING: {"submitted", "pending", "under_review", "in_review", "reviewing", "review", "received", "open", "new",
              "awaiting", "processing", "in_progress", "draft", "queued", "waiting", "on_hold", "referred",
              "applied", "requested", "filed", "assessing", "assessment", "investigating"},
}  # fmt: skip
_NEGATED_VALUE = {"not", "non", "un", "no"}

_GRANT_WORDS = r"approv(?:e|es|ed|ing)|grant(?:ed|ing)|authori[sz](?:e|es|ed|ing)|accepted(?! for)"
_REFUSE_WORDS = (
    r"den(?:y|ies|ied|ying|ial)|reject(?:s|ed|ing|ion)?|declin(?:e|es|ed|ing)|refus(?:e|es|ed|ing|al)"
    r"|turn(?:ed|ing)? (?:it |this |the \w+ )?down|disapprov\w*"
)
# Not a decision on this record: "pre-approved", "an approved body shop", "Granted, ...", what a
# person refused or denied ("refused to give", "denied any convictions", "denied fault"), a figure
# that declined ("declined 20%", "declined by").
_NOT_DECIDED = (
    r"(?<![-\w])(?<!\ban )(?<!\ba )(?<!\bthe )"
    r"(?!granted,)(?!(?:refus|declin|den)\w* (?:to|any|that|having|fault|responsibility|the allegation)\b)"
    r"(?!declin\w* (?:by|in|sharply|steadily|\d))"
)
_DECISION = re.compile(rf"\b{_NOT_DECIDED}(?:(?P<grant>{_GRANT_WORDS})|(?P<refuse>{_REFUSE_WORDS}))\b", re.IGNORECASE)
_PENDING = re.compile(
    r"\b(?:still (?:being |under |in )?(?:review(?:ed|ing)?|considered|assessed)|not yet (?:been )?(?:decided|reviewed"
    r"|approved|assessed)|under review|awaiting (?:a |the |our )?(?:final )?decision|pending (?:review|approval|a "
    r"(?:final )?decision|decision)|no decision (?:has been|was) made)\b",
    re.IGNORECASE,
)
_NEGATIONS = {"not", "never", "unable", "cannot", "cant", "wont", "without", "nor", "neither"}
_AUXILIARY = {"is", "was", "has", "have", "had", "do", "does", "did", "could", "would", "should", "are", "were", "ca"}
# A decision only hoped for, asked for or still to come is no decision stated ("once approved").
_UNDECIDED = {"if", "once", "until", "unless", "pending", "awaiting", "await", "awaits", "whether", "subject",
              "seeking", "seek", "requesting", "need", "needs", "require",
              "requires", "may", "might", "could", "would", "should", "will", "can", "shall", "must",
              "hope", "hoping", "hopes", "expect", "expects", "expected", "likely", "possibly", "probably", "want",
              "wants", "wanted", "please", "recommend", "recommends", "recommended", "recommending", "suggest",
              "suggests", "propose", "proposes", "ask", "asks", "asking", "previously", "earlier", "before",
              "prior", "last"}  # fmt: skip
_JUST_BEFORE = {
    "to",
    "for",
    "be",
    "being",
    "or",
}  # "to approve", "for approving", "to be approved", "approved or denied"
LOOKBACK = 4  # words before a decision word, within its clause, read for a condition (3 for a negation)
_CLAUSE = re.compile(r"[.;:!?,()\[\]]|\b(?:but|however|although|though|because|and then)\b", re.IGNORECASE)


def outcome_position(value: Any) -> float | None:
    """Where a status value sits: +1 granted, 0 pending, -1 refused; None for one that names no
    decision (closed, cancelled, active) or is negated ("not approved": read as a value of its own)."""
    key = "_".join(re.findall(r"[a-z]+", str(value).lower()))
    for pos, names in _VALUES.items():
        if key in names:
            return pos
    parts = set(key.split("_"))
    if parts & _NEGATED_VALUE:
        return None
    hits = {pos for pos, names in _VALUES.items() if parts & names}
    if hits == {GRANTED, PENDING}:  # "pending approval" is pending; "approved - pending documents" granted
        return PENDING if key.split("_")[0] in ("pending", "awaiting", "requested", "for", "needs") else GRANTED
    return hits.pop() if len(hits) == 1 else None  # "partially approved": granted; mixed words: unplaced


def stated(text: str, finished: bool = True) -> dict[str, int]:
    """What a text states as decided, each with where it is first said: "granted", "refused", "not
    granted" (a negated approval), "not refused" and "pending" ("still under review"). Decisions that
    are conditional, hoped for, asked about ("Has my claim been approved?") or in the past are left
    out; a text still being written (`finished` False) is read only up to its last finished sentence,
    where a question mark or an "or" may yet follow."""
    if not finished:
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        text = text[: ends[-1]] if ends else ""
    out: dict[str, int] = {}
    for match in _DECISION.finditer(text):
        if _asked(text, match.end()):
            continue
        clause = _CLAUSE.split(text[: match.start()])[-1]
        before = [w.replace("'", "").replace("\u2019", "") for w in re.findall(r"[\w'\u2019]+", clause.lower())]
        before = before[-LOOKBACK:]
        kind = "granted" if match.group("grant") else "refused"
        near = before[-3:]
        if set(near) & _NEGATIONS or any(w.endswith("nt") and w[:-2] in _AUXILIARY for w in near):
            out.setdefault(f"not {kind}", match.start())  # "was not approved", "couldn't approve"
        elif not (
            set(before) & _UNDECIDED or set(before[-2:]) & _JUST_BEFORE or text[match.end() :].startswith(" or ")
        ):
            out.setdefault(kind, match.start())
    pending = _PENDING.search(text)
    if pending is not None:
        out["pending"] = pending.start()
    return out


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def _asked(text: str, at: int) -> bool:
    """Whether the sentence around `at` is a question (its end is a question mark)."""
    end = _SENTENCE_END.search(text, at)
    return end is not None and text[end.start()] == "?"


def outcome_problem(text: str, name: str, value: Any, pos: float, finished: bool = True) -> tuple[str, int] | None:
    """Why a text contradicts its record's decision `value` (at `pos`), and where it first says so;
    None when it does not. A text that says both ("approved in part, denied the rest") is let be."""
    said = stated(text, finished)
    if pos >= 0.5:
        against, agrees = ("refused", "not granted", "pending"), ("granted",)
    elif pos <= -0.5:
        against, agrees = ("granted", "not refused", "pending"), ("refused", "not granted")
    else:
        against, agrees = ("granted", "refused"), ()
    found = sorted((said[k], k) for k in against if k in said)
    if not found or any(k in said for k in agrees):
        return None
    told = {"granted": "approved", "not refused": "approved", "pending": "still undecided"}.get(found[0][1], "refused")
    still = ", still undecided" if abs(pos) < 0.5 else ""
    return f"the text says it was {told} but {name} is {value!r}{still}", found[0][0]


# Words a text should not write for a record's decision (a backend that steers its sampling lowers them).
_GRANT_FORMS = ("approve", "approved", "approving", "authorized", "authorised", "granted", "accepted")
_REFUSE_FORMS = ("deny", "denied", "reject", "rejected", "decline", "declined", "refused", "denial", "rejection")


def outcome_avoid(pos: float) -> tuple[str, ...]:
    """The decision words that would contradict a decision at `pos` (both kinds while pending)."""
    if pos >= 0.5:
        return _REFUSE_FORMS
    if pos <= -0.5:
        return _GRANT_FORMS
    return _GRANT_FORMS + _REFUSE_FORMS
