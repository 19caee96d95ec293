"""Handler filters: add the run's context fields to a record, then mask secrets in all of it.

They run in the thread that logs (handlers here are synchronous), so the context is the caller's.
Redaction mutates the record: every later handler also sees the masked text.
"""

from __future__ import annotations

import logging

from synth_gradio.logs.context import current_context
from synth_gradio.logs.redact import redact, redact_value

# Attributes every LogRecord has; anything else on a record came from `extra` or a filter.
STANDARD_ATTRS = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


def extra_fields(record: logging.LogRecord) -> dict[str, object]:
    """The fields a record carries beyond the standard ones (event, run_id, counts ...)."""
    return {k: v for k, v in record.__dict__.items() if k not in STANDARD_ATTRS and not k.startswith("_")}


class ContextFilter(logging.Filter):
    """Copy run_id, backend and model from the current log context onto records that lack them."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in current_context().items():
            if key not in STANDARD_ATTRS and getattr(record, key, None) is None:
                setattr(record, key, value)
        return True


class RedactFilter(logging.Filter):
    """Mask secret-looking text in the message, the extra fields, tracebacks and stack info."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the format: keep the raw text
            message = f"{record.msg} {record.args}"
        record.msg, record.args = redact(message), None
        for key, value in extra_fields(record).items():
            setattr(record, key, redact_value(key, value))
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
