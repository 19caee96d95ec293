"""Per-record sampling on llama.cpp: a seeded sampler chain, the grammar mask and steering.

Every record gets its own chain (top-k, our mask-and-steer step, top-p, temperature, a distribution
seeded from the record's own seed). A record's tokens therefore depend on its seed and its logits,
not on which slot it ran in or which records ran beside it, so continuous batching stays
reproducible. The chain checks only the k candidates against the llguidance mask (microseconds);
when none of them is allowed we sample from the whole masked vocabulary.

Steering lowers waste at the source without touching what the engine accepts:
- `ValueTracker` follows the top-level JSON object as it is written, so we know which field's
  string is open and what it holds so far.
- `Steer.penalties`, in free-text fields only, lowers the logits of candidates that would extend a
  verbatim run (3 tokens of context) of a shown example's text or of the record's own earlier text
  (copies and loops), of digits after a long run of them (runaway numbers end truncated), and of
  brackets (the "[name]" templates a small model writes instead of a value), braces most of all.
  Near the field's maxLength it favours closing the string, so text ends rather than being cut by
  the grammar. Emoji are lowered too, in fields whose examples have none (a base model trails off
  into emoji runs), and so are tokens that close the string right after a joining mark (',"', '("',
  ':"'), which the engine would reject and `avoid` cannot see coming (it sees the text before the
  token).
- `words` (per record, from the engine) lowers or raises whole-word tokens in free text: a record whose
  text must read negative avoids strongly positive words, a customer's message avoids staff words.
  `field_words` does the same in one field (words the run's accepted values of that field overuse).
- When the engine says a value would be rejected as it stands (`StreamItem.avoid`), tokens that
  would close the string right now are masked, so the model writes on instead of ending there.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Mapping, Sequence
from typing import Any

import llama_cpp
import numpy as np
from llama_cpp import _internals as internals

from synth_gradio.backends.base import GenerationParams
from synth_gradio.symbols import EMOJI

_TOKEN_DTYPE = np.dtype([("id", np.int32), ("logit", np.float32), ("p", np.float32)])
NGRAM = 3  # tokens of context that must match before a continuation counts as copying
COPY_PENALTY = 4.0  # logits taken from a candidate that would continue a copied run
DIGIT_RUN = 24  # digits in a row (separators aside) after which more digits are discouraged
PLAIN_DIGIT_RUN = 6  # digits in a row with nothing between them (the engine rejects 7+ in free text)
DIGIT_PENALTY = 8.0
BRACKET_PENALTY = 3.0
EMOJI_PENALTY = 6.0
BRACE_PENALTY = 6.0  # more on braces: in free text they are JSON debris ('...practice}, ')
JOINED_PENALTY = 12.0  # a token such as ',"' or '("' ends a free text on a joining mark: junk, always
ENDING_ROOM = 12  # characters before maxLength from which ending the string is favoured
ENDING_BOOST = 2.5
SHORTLIST_WINDOW = 16.0  # logits below the row's best by more than this never reach the chain's top-k
_SEPARATORS = frozenset(b" ,.-:/+")
_OPEN, _CLOSE = b"{[", b"}]"
_JOINED_CLOSE = re.compile(rb'^\s*[,;:&/(\[{]+"')  # a joining mark, then the string's closing quote


class SeqSampler:
    """One record's sampler chain. `row` (grammar mask) and `penalised` are set before each sample."""

    def __init__(self, params: GenerationParams, seed: int) -> None:
        self.row: np.ndarray | None = None
        self.penalised: list[tuple[np.ndarray, float]] = []
        self.all_masked = False
        self.temperature = params.temperature
        self.top_k = max(1, params.top_k) if params.temperature > 0 else 0
        self.rng = np.random.default_rng(seed)
        chain = internals.LlamaSampler()
        if params.temperature <= 0:
            chain.add_custom(self._filter)
            chain.add_greedy()
        else:
            chain.add_top_k(max(1, params.top_k))
            chain.add_custom(self._filter)
            chain.add_top_p(params.top_p, 1)
            chain.add_temp(params.temperature)
            chain.add_dist(seed)
        self.chain = chain

    def close(self) -> None:
        self.chain.close()

    def _filter(self, cur_p: Any) -> None:
        """Custom chain step: forbid what the grammar forbids, lower what steering penalises."""
        arr = cur_p.contents
        data = np.ctypeslib.as_array(ctypes.cast(arr.data, ctypes.POINTER(ctypes.c_byte)), shape=(arr.size * 12,))
        cand = data.view(_TOKEN_DTYPE)
        ids = cand["id"]
        if self.row is not None:
            allowed = (self.row[ids >> 5] >> (ids & 31)) & 1
            if not allowed.any():
                self.all_masked = True
                return
            cand["logit"][allowed == 0] = -np.inf
        for tokens, amount in self.penalised:
            cand["logit"][members(ids, tokens)] -= amount

    def sample(self, ctx: Any, logits_index: int, n_vocab: int) -> int:
        """A token allowed by `row` (or any token without a grammar); -1 when the grammar allows none."""
        row = self.row
        self.all_masked = False
        token = self._sample_shortlist(ctx, logits_index, n_vocab)
        if row is not None and (self.all_masked or not (row[token >> 5] >> (token & 31)) & 1):
            token = self._sample_full(ctx, logits_index, row, n_vocab)
        self.row, self.penalised = None, []
        return token

    def _sample_shortlist(self, ctx: Any, logits_index: int, n_vocab: int) -> int:
        """The chain's own result, computed on the few logits near the row's best.

        `llama_sampler_sample` copies all 262k logits into a candidate array and partially sorts it
        for every token (7% of a prose run). The chain starts with top-k, so when at least k logits
        lie within SHORTLIST_WINDOW of the best, those candidates hold the k best exactly and the
        chain, its seeded distribution included, picks the same token from them.
        """
        logits = _logits(ctx, logits_index, n_vocab)
        near = np.flatnonzero(logits >= logits.max() - SHORTLIST_WINDOW) if self.top_k else None
        if near is None or near.size < self.top_k:
            return llama_cpp.llama_sampler_sample(self.chain.sampler, ctx, logits_index)
        cand = np.zeros(near.size, dtype=_TOKEN_DTYPE)
        cand["id"], cand["logit"] = near, logits[near]
        arr = llama_cpp.llama_token_data_array(
            data=cand.ctypes.data_as(ctypes.POINTER(llama_cpp.llama_token_data)),
            size=near.size,
            selected=-1,
            sorted=False,
        )
        llama_cpp.llama_sampler_apply(self.chain.sampler, ctypes.byref(arr))
        token = int(arr.data[arr.selected].id)
        llama_cpp.llama_sampler_accept(self.chain.sampler, token)
        return token

    def _sample_full(self, ctx: Any, logits_index: int, row: np.ndarray, n_vocab: int) -> int:
        """Fallback: sample among all grammar-allowed tokens (used when top-k had none)."""
        logits = _logits(ctx, logits_index, n_vocab)
        bits = np.unpackbits(row.view(np.uint8), bitorder="little")[:n_vocab].astype(bool)
        allowed = np.flatnonzero(bits)
        if allowed.size == 0:
            return -1
        vals = logits[allowed].astype(np.float64)
        top = np.argsort(vals)[-40:]
        vals, allowed = vals[top], allowed[top]
        if self.temperature <= 0:
            return int(allowed[-1])
        probs = np.exp((vals - vals.max()) / self.temperature)
        return int(self.rng.choice(allowed, p=probs / probs.sum()))


def _logits(ctx: Any, logits_index: int, n_vocab: int) -> np.ndarray:
    """A view (no copy) of one output row's logits; valid until the next llama_decode."""
    return np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx, logits_index), shape=(n_vocab,))


class ValueTracker:
    """Follows the top-level JSON object byte by byte: which field's string is open, and its text."""

    def __init__(self) -> None:
        self.depth = 0
        self.stack: list[int] = []  # open brackets
        self.in_string = False
        self.escaped = False
        self.is_key = False
        self.expect_key = False
        self.key = ""
        self.buf = bytearray()
        self.field: str | None = None  # the top-level field whose string value is open
        self.tokens: list[int] = []  # tokens written inside that value
        self.digits = 0  # digits in a row at the end of the open value (separators aside)
        self.plain_digits = 0  # the same with no separator between them

    def feed(self, token: int, data: bytes) -> None:
        opened = self.field
        for byte in data:
            self._byte(byte)
        if self.field is not None and self.field == opened:
            self.tokens.append(token)

    def _byte(self, c: int) -> None:
        if self.in_string:
            if self.escaped:
                self.escaped = False
            elif c == 0x5C:  # backslash
                self.escaped = True
            elif c == 0x22:  # closing quote
                self.in_string = False
                if self.is_key:
                    self.key = self.buf.decode("utf-8", errors="replace")
                self.field = None
                return
            self.buf.append(c)
            if 0x30 <= c <= 0x39:
                self.digits += 1
                self.plain_digits += 1
            else:
                self.plain_digits = 0
                if c not in _SEPARATORS:
                    self.digits = 0
            return
        if c == 0x22:
            self.in_string, self.buf = True, bytearray()
            self.is_key = self.depth == 1 and self.expect_key
            if self.depth == 1 and not self.is_key:
                self.field, self.tokens, self.digits, self.plain_digits = self.key, [], 0, 0
        elif c in _OPEN:
            self.depth += 1
            self.stack.append(c)
            self.expect_key = c == 0x7B
        elif c in _CLOSE:
            self.depth -= 1
            if self.stack:
                self.stack.pop()
        elif c == 0x2C:  # comma: the next string in an object is a key
            self.expect_key = bool(self.stack) and self.stack[-1] == 0x7B
        elif c == 0x3A:  # colon
            self.expect_key = False

    def text(self) -> str:
        """The open value's text so far (JSON escapes left as written)."""
        return self.buf.decode("utf-8", errors="replace")


class Steer:
    """Copy, loop, runaway-number and template penalties for the free-text fields in `echo`."""

    def __init__(
        self,
        tables: Mapping[str, dict[tuple[int, ...], set[int]]],
        vocab: TokenClasses,
        limits: Mapping[str, int] | None = None,
    ) -> None:
        self.tables = tables
        self.vocab = vocab
        self.limits = limits or {}  # field -> the grammar's maxLength
        self.own: dict[tuple[int, ...], set[int]] = {}
        self.plain: set[str] = set()  # fields whose examples have no emoji
        self.words: list[tuple[np.ndarray, float]] = []  # the record's tone and voice steering
        self.field_words: dict[str, list[tuple[np.ndarray, float]]] = {}  # per field (overused words)

    @staticmethod
    def tables_for(echo: Mapping[str, Sequence[str]], tokenize: Any) -> dict[str, dict[tuple[int, ...], set[int]]]:
        """For each field: (n tokens) -> tokens that followed them in an example's text."""
        out: dict[str, dict[tuple[int, ...], set[int]]] = {}
        for name, texts in echo.items():
            table: dict[tuple[int, ...], set[int]] = {}
            for text in texts:
                add_ngrams(table, tokenize(text))
            out[name] = table
        return out

    def penalties(self, tracker: ValueTracker) -> list[tuple[np.ndarray, float]]:
        """(tokens, logits to subtract) for the next token of the open value."""
        if tracker.field is None or tracker.field not in self.tables:
            return []
        out = [(self.vocab.brackets, BRACKET_PENALTY), *self.words, *self.field_words.get(tracker.field, ())]
        for name, amount in (("joined", JOINED_PENALTY), ("braces", BRACE_PENALTY)):
            tokens = getattr(self.vocab, name, None)
            if tokens is not None and len(tokens):
                out.append((tokens, amount))
        if tracker.field in self.plain:
            out.append((self.vocab.emoji, EMOJI_PENALTY))
        limit = self.limits.get(tracker.field)
        if limit is not None and len(tracker.buf) >= limit - ENDING_ROOM:
            out.append((self.vocab.closers, -ENDING_BOOST))
        if tracker.digits >= DIGIT_RUN or tracker.plain_digits >= PLAIN_DIGIT_RUN:
            out.append((self.vocab.digits, DIGIT_PENALTY))
        if len(tracker.tokens) >= NGRAM:
            key = tuple(tracker.tokens[-NGRAM:])
            hits = self.tables[tracker.field].get(key, set()) | self.own.get(key, set())
            if hits:
                out.append((np.sort(np.fromiter(hits, dtype=np.int32, count=len(hits))), COPY_PENALTY))
        return out

    def wrote(self, tracker: ValueTracker) -> None:
        """Remember the record's own text, so it does not loop over itself."""
        if tracker.field in self.tables and len(tracker.tokens) > NGRAM:
            toks = tracker.tokens
            self.own.setdefault(tuple(toks[-NGRAM - 1 : -1]), set()).add(toks[-1])


class TokenClasses:
    """Token ids by what their text looks like, found once per vocabulary."""

    def __init__(self, tokenizer: Any, n_vocab: int) -> None:
        quotes = np.zeros((n_vocab + 31) // 32, dtype=np.uint32)
        digits, brackets, braces, closers, emoji, joined = [], [], [], [], [], []
        for tok in range(n_vocab):
            text = tokenizer.decode_bytes([tok])
            if text[:1] == b'"':
                closers.append(tok)
            if text.lstrip(b" ")[:1] == b'"':  # ' "' closes the string too, after a space
                quotes[tok >> 5] |= np.uint32(1 << (tok & 31))
            if text and text.strip(b" ").isdigit():
                digits.append(tok)
            if any(c in text for c in b"[]<>{}"):
                brackets.append(tok)
            if any(c in text for c in b"{}"):
                braces.append(tok)
            if _JOINED_CLOSE.match(text):
                joined.append(tok)
            if b"\xf0\x9f" in text or text == b"\xf0" or EMOJI.search(text.decode("utf-8", errors="ignore")):
                emoji.append(tok)
        self.quotes = quotes.view(np.int32)  # packed like llguidance masks: tokens that close a string
        # ascending, as `members` needs: they are built in token order
        self.digits = np.array(digits, dtype=np.int32)
        self.brackets = np.array(brackets, dtype=np.int32)
        self.closers = np.array(closers, dtype=np.int32)
        self.emoji = np.array(emoji, dtype=np.int32)
        self.joined = np.array(joined, dtype=np.int32)
        self.braces = np.array(braces, dtype=np.int32)


def members(ids: np.ndarray, tokens: Any) -> np.ndarray:
    """Which of `ids` are in the sorted token list `tokens` (binary search: the class lists hold
    thousands of tokens and are checked for every sampled token, where np.isin sorted them each time)."""
    tokens = np.asarray(tokens)
    if tokens.size == 0:
        return np.zeros(ids.shape, dtype=bool)
    pos = np.searchsorted(tokens, ids)
    return tokens[np.minimum(pos, tokens.size - 1)] == ids


def word_token_lists(words: Sequence[tuple[str, float]], tokenize: Any) -> list[tuple[np.ndarray, float]]:
    """Token ids that spell a whole steering word (with or without a leading space, lower or capitalised),
    grouped by amount and sorted, as (ids, logits to subtract). A word the vocabulary splits into several
    tokens is left out: lowering its first piece would also lower unrelated words."""
    by_amount: dict[float, set[int]] = {}
    for word, delta in words:
        for form in {word, word.capitalize()}:
            for text in (form, " " + form):
                ids = tokenize(text)
                if len(ids) == 1:
                    by_amount.setdefault(-float(delta), set()).add(int(ids[0]))
    return [(np.array(sorted(ids), dtype=np.int32), amount) for amount, ids in by_amount.items()]


def add_ngrams(table: dict[tuple[int, ...], set[int]], tokens: list[int]) -> None:
    for i in range(len(tokens) - NGRAM):
        table.setdefault(tuple(tokens[i : i + NGRAM]), set()).add(tokens[i + NGRAM])
