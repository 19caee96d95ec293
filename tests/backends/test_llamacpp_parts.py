"""Pieces of the continuous llama.cpp decoder that need no model: the JSON value tracker, the fair lock."""

from __future__ import annotations

import itertools
import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest

from synth_gradio.backends.llamacpp_model import FairLock
from synth_gradio.backends.llamacpp_sampling import DIGIT_RUN, Steer, ValueTracker, add_ngrams, members


def feed(tracker: ValueTracker, pieces: list[str]) -> list[tuple[str | None, str]]:
    seen = []
    for i, piece in enumerate(pieces):
        tracker.feed(i, piece.encode())
        seen.append((tracker.field, tracker.text() if tracker.field else ""))
    return seen


def test_the_tracker_knows_which_top_level_value_is_open() -> None:
    t = ValueTracker()
    seen = feed(t, ['{"title": "', "Sea", ' \\"view\\"', '", "tags": ["', "a", '"], "body": "', "x, y", '"}'])
    assert seen[1] == ("title", "Sea")
    assert seen[2] == ("title", 'Sea \\"view\\"')  # escaped quotes do not close the string
    assert seen[4] == (None, "")  # strings inside an array are not top-level values
    assert seen[6] == ("body", "x, y")  # a comma inside a string is text, not a separator
    assert seen[7] == (None, "")


def test_the_tracker_counts_a_run_of_digits() -> None:
    t = ValueTracker()
    feed(t, ['{"body": "', "Call 12 34", " 56"])
    assert t.digits == 6
    feed(t, [" then"])
    assert t.digits == 0


def test_steer_penalises_copies_loops_and_runaway_numbers() -> None:
    classes = SimpleNamespace(brackets=[91], digits=[48, 49], closers=[34])

    table: dict = {}
    add_ngrams(table, [1, 2, 3, 4, 5])
    steer = Steer({"body": table}, classes, {"body": 40})
    t = ValueTracker()
    t.feed(0, b'{"body": "')
    for tok, text in [(1, "a"), (2, "b"), (3, "c")]:
        t.feed(tok, text.encode())
        steer.wrote(t)
    found = {tuple(int(x) for x in ids): amount for ids, amount in steer.penalties(t)}
    assert found[(4,)] > 0  # continuing the example's run 1 2 3 -> 4
    assert (91,) in found and (48, 49) not in found and (34,) not in found
    t.feed(9, ("7" * DIGIT_RUN).encode())
    found = {tuple(int(x) for x in ids): amount for ids, amount in steer.penalties(t)}
    assert found[(48, 49)] > 0
    t.feed(10, b"x" * 20)
    assert any(amount < 0 for ids, amount in steer.penalties(t))  # near maxLength: ending is favoured
    t.feed(11, b'"')
    assert steer.penalties(t) == []  # nothing open, nothing steered


def test_the_fair_lock_serves_waiters_in_turn() -> None:
    lock = FairLock()
    order: list[str] = []

    def worker(name: str) -> None:
        for _ in range(5):
            with lock:
                order.append(name)
                time.sleep(0.002)

    lock.acquire()
    threads = [threading.Thread(target=worker, args=(n,)) for n in "ab"]
    for th in threads:
        th.start()
    time.sleep(0.05)
    lock.release()
    for th in threads:
        th.join(5)
    assert sorted(order) == ["a"] * 5 + ["b"] * 5
    # neither thread takes the lock twice in a row while the other one waits
    assert all(x != y for x, y in itertools.pairwise(order[:9]))


def test_runs_starting_together_share_one_decoder_per_context() -> None:
    """Two decoders on one context each believed they owned every sequence id (a model comparison
    of two local configurations failed with an invalid batch)."""
    from synth_gradio.backends import llamacpp

    made: list[object] = []

    def factory(loaded: object) -> object:
        time.sleep(0.05)  # building a decoder takes a while: the window two threads raced through
        made.append(loaded)
        return object()

    loaded, got = object(), []
    threads = [threading.Thread(target=lambda: got.append(llamacpp._decoder_for(loaded, factory))) for _ in range(4)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert len(made) == 1 and len(got) == 4 and len({id(d) for d in got}) == 1
    finally:
        llamacpp._DECODERS.pop(id(loaded), None)


def test_steer_lowers_emoji_only_where_the_examples_have_none() -> None:
    classes = SimpleNamespace(brackets=[91], digits=[48], closers=[34], emoji=[700])
    steer = Steer({"body": {}, "caption": {}}, classes, {})
    steer.plain = {"body"}
    t = ValueTracker()
    t.feed(0, b'{"body": "')
    assert any(tuple(int(x) for x in ids) == (700,) and amount > 0 for ids, amount in steer.penalties(t))
    t.feed(1, b'ok", "caption": "')
    assert all(tuple(int(x) for x in ids) != (700,) for ids, _ in steer.penalties(t))


def test_field_words_steer_only_their_own_field_and_joined_closers_are_lowered_in_all() -> None:
    joined = np.array([801], dtype=np.int32)  # ',"': ending a text on a comma
    classes = SimpleNamespace(brackets=[91], digits=[48], closers=[34], emoji=[700], joined=joined)
    steer = Steer({"product": {}, "review": {}}, classes, {})
    steer.field_words = {"product": [(np.array([500], dtype=np.int32), 2.0)]}  # "Samsung", overused in names
    t = ValueTracker()
    t.feed(0, b'{"product": "')
    assert any(tuple(int(x) for x in ids) == (500,) and amount > 0 for ids, amount in steer.penalties(t))
    t.feed(1, b'Kindle", "review": "')
    assert all(tuple(int(x) for x in ids) != (500,) for ids, _ in steer.penalties(t))
    assert any(tuple(int(x) for x in ids) == (801,) and amount > 0 for ids, amount in steer.penalties(t))


def test_members_finds_candidates_in_a_sorted_token_list() -> None:
    ids = np.array([5, 700, 3, 262143, 0], dtype=np.int32)
    assert members(ids, np.array([0, 3, 9, 700], dtype=np.int32)).tolist() == [False, True, True, False, True]
    assert members(ids, [262143]).tolist() == [False, False, False, True, False]
    assert not members(ids, np.array([], dtype=np.int32)).any()


@pytest.mark.parametrize("total", [40, 512, 520, 1040, 1300])
def test_every_token_that_needs_logits_is_in_the_last_decoded_chunk(total: int, monkeypatch) -> None:
    """A step of many starting records spans several llama_decode calls; logits survive only the last one,
    so every sequence's last token must land there, wherever the chunk borders fall (a 200-record run
    of the support_tickets template once lost some: KeyError in the sampler)."""

    from synth_gradio.backends import llamacpp_decode as decode_module

    calls: list[list[bool]] = []

    def fake_decode(ctx, batch):  # records which positions of each call asked for logits
        calls.append([bool(batch.logits[i]) for i in range(batch.n_tokens)])
        return 0

    monkeypatch.setattr(decode_module.llama_cpp, "llama_decode", fake_decode)
    step = 512
    batch = SimpleNamespace(
        n_tokens=0, token=[0] * step, pos=[0] * step, n_seq_id=[0] * step, seq_id=[[0] for _ in range(step)],
        logits=[False] * step,
    )  # fmt: skip
    fake = SimpleNamespace(
        batch=batch, lm=SimpleNamespace(n_batch=step), ctx=None, stats={"decode_s": 0.0, "decoded": 0}
    )
    seqs = 32
    items = [(1, j, j % seqs, False) for j in range(total - seqs)] + [(1, 999, s, True) for s in range(seqs)]
    out = decode_module.BatchDecoder.decode(fake, items)
    assert sorted(out) == list(range(seqs))
    assert all(len(c) <= step for c in calls) and sum(map(len, calls)) == total
    assert sum(calls[-1]) == seqs and not any(any(c) for c in calls[:-1])
