"""A deterministic fake backend: a queue of canned completions, for engine tests."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from synth_gradio.backends.base import Capabilities, Completion, CompletionRequest


class FakeBackend:
    kind = "fake"
    model = "canned"

    def __init__(self, texts: Iterable[str | Completion], constrained: bool = True, max_batch: int = 4) -> None:
        self.queue: deque[str | Completion] = deque(texts)
        self.requests: list[CompletionRequest] = []
        self.capabilities = Capabilities(constrained=constrained, batching=True, max_batch=max_batch)

    def complete(self, request: CompletionRequest) -> list[Completion]:
        self.requests.append(request)
        out = []
        for _ in request.suffixes:
            item = self.queue.popleft() if self.queue else '{"broken": '
            out.append(item if isinstance(item, Completion) else Completion(text=item, tokens=len(item) // 4))
        return out

    def close(self) -> None:
        pass


class FailingBackend(FakeBackend):
    """Succeeds for `ok_batches` calls, then raises the given error."""

    def __init__(self, texts: Iterable[str], error: Exception, ok_batches: int = 1, max_batch: int = 4) -> None:
        super().__init__(texts, max_batch=max_batch)
        self.error = error
        self.ok_batches = ok_batches

    def complete(self, request: CompletionRequest) -> list[Completion]:
        if len(self.requests) >= self.ok_batches:
            self.requests.append(request)
            raise self.error
        return super().complete(request)
