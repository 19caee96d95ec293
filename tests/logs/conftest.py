"""Shared fixture: the tests here install handlers on the root logger, and must take them off again."""

from __future__ import annotations

import logging

import pytest


@pytest.fixture
def restore_root():
    """configure_logging changes the root logger: put it back as pytest left it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in root.handlers[:]:
        if h not in handlers:
            root.removeHandler(h)
    root.setLevel(level)
