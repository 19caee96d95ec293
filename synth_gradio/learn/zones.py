"""Times written with their offset or with milliseconds, as web systems and pandas export them:
"2024-07-02T20:25:45+02:00", "2024-07-02 18:25:45+00:00", "2024-07-02T18:25:45.123Z".

Why: no date format read them, so such a column was an identifier, written by the schema at random
between its first and last time: its hours, weekdays and links to the other columns were lost.
A zoned time is learned as its wall-clock time in the zone whose offsets the real values show,
found among the IANA zones (Europe/Berlin writes +01:00 in winter and +02:00 in summer), or at their
one fixed offset, and written back there: in UTC seconds, Berlin's midnights fell at 22:00 and
23:00, and 3.6% of drawn days sat on a midnight. The format travels as one string, the zone after a "|"
("%Y-%m-%dT%H:%M:%S%:z|Europe/Berlin"), so every reader and writer of a date format handles it.
Milliseconds ("%3f") are written from the second itself (no draw keeps them), spread as real ones.
"""

from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, available_timezones

import numpy as np
import pandas as pd

ZONED = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?P<sep>[T ])\d{2}:\d{2}:\d{2}(?P<fraction>\.\d+)?(?P<offset>Z|[+-]\d{2}:?\d{2})$"
)
SAMPLE = 200  # values a zone is chosen on
COMMON = ("UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "America/New_York", "America/Chicago",
          "America/Denver", "America/Los_Angeles", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney")  # fmt: skip


def is_zoned(fmt: str) -> bool:
    """Whether a date format is one of this module's (an offset, milliseconds or a zone)."""
    return "|" in fmt or "%:z" in fmt or "%3f" in fmt


def zoned_format(values: pd.Series) -> str | None:
    """The format of a column of zoned or millisecond times (None where it is not one): the
    separator, the fraction, the offset's style, and after "|" the zone that writes its offsets."""
    if not values.dropna().astype(str).str.match(ZONED).all():  # every value, as other formats are checked
        return None
    head = values.dropna().head(SAMPLE).astype(str)
    found = head.str.extract(ZONED)
    if found["sep"].isna().any() or found["sep"].nunique() != 1 or found["offset"].isna().any():
        return None
    fractions = found["fraction"].fillna("")
    if fractions.str.len().nunique() != 1 or len(fractions.iloc[0]) not in (0, 4, 7):
        return None
    fraction = {0: "", 4: ".%3f", 7: ".%f"}[len(fractions.iloc[0])]
    offsets = found["offset"]
    base = f"%Y-%m-%d{found['sep'].iloc[0]}%H:%M:%S{fraction}"
    if (offsets == "Z").all():
        return base + "Z" if fraction else None  # a plain ...Z is a known format already (detect.py)
    if (offsets == "Z").any():
        return None
    style = "%:z" if offsets.str.contains(":").all() else "%z" if not offsets.str.contains(":").any() else None
    instants = pd.to_datetime(head, utc=True, errors="coerce", format="mixed")
    if style is None or instants.isna().any():
        return None
    zone = _zone(instants, offsets.str.replace(":", "", regex=False))
    return None if zone is None else f"{base}{style}|{zone}"


def _zone(instants: pd.Series, offsets: pd.Series) -> str | None:
    """The zone that gives every instant its written offset (+0200): common zones first, then any,
    then the one fixed offset they share."""
    for name in (*COMMON, *sorted(available_timezones())):
        try:
            written = instants.dt.tz_convert(ZoneInfo(name)).dt.strftime("%z")
        except (ValueError, KeyError):
            continue
        if (written.to_numpy() == offsets.to_numpy()).all():
            return name
    return offsets.iloc[0] if offsets.nunique() == 1 else None


def _tz(fmt: str) -> tzinfo | None:
    """The zone after the format's "|": a name, a fixed offset (+0530), or None (UTC)."""
    zone = fmt.partition("|")[2]
    fixed = re.fullmatch(r"([+-])(\d{2})(\d{2})", zone)
    if fixed:
        sign = -1 if fixed.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(fixed.group(2)), minutes=int(fixed.group(3))))
    return ZoneInfo(zone) if zone else None


def zoned_seconds(values: pd.Series, fmt: str) -> np.ndarray:
    """Seconds since the epoch of each value's wall-clock time in the format's zone (NaN for nulls
    and for text that is no such time)."""
    text = values.astype(object).where(values.notna(), None)
    stamps = pd.to_datetime(text, utc=True, errors="coerce", format="mixed")
    zone = _tz(fmt)
    local = stamps.dt.tz_convert(zone) if zone is not None else stamps
    out = local.dt.tz_localize(None).to_numpy(dtype="datetime64[s]").astype("int64").astype(float)
    out[stamps.isna().to_numpy()] = np.nan
    return out


def write_zoned(seconds: np.ndarray, fmt: str) -> list[str | None]:
    """Wall-clock times written as the reference writes them: in its zone, with its offset style and
    fraction (a time a clock change skips moves forward, one it repeats is the first; NaN: None)."""
    pattern = fmt.partition("|")[0]
    known = np.isfinite(seconds)
    whole = np.where(known, seconds, 0.0).astype("int64")
    stamps = pd.DatetimeIndex(whole.astype("datetime64[s]"))
    zone = _tz(fmt)
    if zone is not None:
        stamps = stamps.tz_localize(zone, ambiguous=np.ones(len(stamps), dtype=bool), nonexistent="shift_forward")
    millis = (whole * 2654435761 % 1000).astype(int)  # spread as real milliseconds
    text = stamps.strftime(pattern.replace("%:z", "%z").replace(".%3f", ".{ms}").replace(".%f", ".{us}"))
    out: list[str | None] = []
    for written, ms, seen in zip(text, millis.tolist(), known.tolist(), strict=True):
        written = written.replace("{ms}", f"{ms:03d}").replace("{us}", f"{ms:03d}000")
        if "%:z" in pattern:
            written = written[:-2] + ":" + written[-2:]
        out.append(written if seen else None)
    return out
