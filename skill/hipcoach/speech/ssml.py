"""Safe SSML assembly: every piece of text is escaped; markup comes only from these helpers."""

from __future__ import annotations

import re

MAX_SPEECH_CHARS = 8000
MAX_BREAK_SECONDS = 10.0
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value: str) -> str:
    """Plain text made safe inside <speak>: control characters dropped, XML escaped (as
    xml.sax.saxutils.escape with quotes, which would import urllib and http on a cold start)."""
    value = _CONTROL.sub(" ", value).replace("&", "&amp;")
    return value.replace(">", "&gt;").replace("<", "&lt;").replace('"', "&quot;")


def pause(seconds: float) -> str:
    """One <break>; Alexa caps a break at 10 s, so longer pauses must be chained by the caller."""
    if not 0 < seconds <= MAX_BREAK_SECONDS:
        raise ValueError(f"a break must last 0–{MAX_BREAK_SECONDS:g} s, not {seconds}")
    return f'<break time="{round(seconds * 1000)}ms"/>'


def speak(*fragments: str) -> str:
    """Wrap already-safe fragments in <speak>; raises if Alexa would reject the length."""
    body = " ".join(f for f in fragments if f)
    ssml = f"<speak>{body}</speak>"
    if len(ssml) > MAX_SPEECH_CHARS:
        raise ValueError(
            f"SSML is {len(ssml)} characters; Alexa accepts at most {MAX_SPEECH_CHARS}"
        )
    return ssml


def plain(ssml: str) -> str:
    """The words of an SSML string, for cards, logs of length and the chat console."""
    words = re.sub(r"<[^>]+>", " ", ssml)
    words = words.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    words = words.replace("&apos;", "'").replace("&amp;", "&")
    return re.sub(r"\s+", " ", words).strip()
