"""The two output formats: a readable line for people, one JSON object per line for log stores."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from synth_gradio.logs.filters import extra_fields

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Context fields first, in a fixed order, so lines line up when read raw.
LEADING = ("run_id", "backend", "model", "event")


class JsonFormatter(logging.Formatter):
    """time (ISO 8601, UTC), level, logger, message, the context fields, then the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = extra_fields(record)
        data.update({k: fields.pop(k) for k in LEADING if fields.get(k) is not None})
        data.update(fields)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            data["exception"] = record.exc_text
        if record.stack_info:
            data["stack"] = record.stack_info
        return json.dumps(data, ensure_ascii=False, default=str)


def formatter_for(name: str) -> logging.Formatter:
    return JsonFormatter() if name == "json" else logging.Formatter(TEXT_FORMAT)
