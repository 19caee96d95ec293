"""Progress lines on stderr: redrawn in place on a terminal, a line now and then in a log.

Why: redrawn with a carriage return, a related run's 900 batch updates became one line of 60,000
characters in a log file or a notebook cell. Off a terminal a line is written when a table (or the
run) is done, and at most every LOG_EVERY seconds before that.
"""

from __future__ import annotations

import sys
import time

LOG_EVERY = 10.0  # seconds between progress lines when stderr is not a terminal


class Progress:
    """One progress display; `show` is called on every update, `end` once after the last."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()
        self.shown = 0.0
        self.pending = ""

    def show(self, text: str, done: bool = False) -> None:
        if self.live:
            print(f"\r{text}", end="", file=sys.stderr, flush=True)
            return
        now = time.monotonic()
        if done or now - self.shown >= LOG_EVERY:
            print(text.rstrip(), file=sys.stderr, flush=True)
            self.shown, self.pending = now, ""
        else:
            self.pending = text

    def end(self) -> None:
        if self.live:
            print(file=sys.stderr)
        elif self.pending:
            print(self.pending.rstrip(), file=sys.stderr)
            self.pending = ""
