"""Character classes shared by the engine's text checks and the local backend's token steering."""

from __future__ import annotations

import re

# Pictographs, dingbats, symbols and the joiners/selectors that build emoji sequences.
EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3]")
