"""Words speech recognition mishears, mended against the catalogue's vocabulary with rapidfuzz.

"bursitus" -> "bursitis", "hip flexer" -> "hip flexor": a word the catalogue does not know, long
enough to be a term (short words are too easily another word), is replaced by the catalogue word
closest to it when they are close enough (rapidfuzz's normalised Indel similarity). Letters spelt
out one by one ("i t band") are joined when the catalogue knows the word they make ("it band").
rapidfuzz is imported on the first word that needs it, never at module import (cold start).
"""

from __future__ import annotations

from functools import cache

MIN_LENGTH = 5  # shorter unknown words are left as heard
MIN_SCORE = 80.0  # rapidfuzz ratio, 0-100
# A misheard term keeps its length give or take a letter ("bursitus", "flexer", "tendonitis");
# an everyday word close to a term but longer or shorter is another word ("tried" is not
# "tripped", "slipping" is not "clipping").
MAX_LENGTH_CHANGE = 1


def mend_words(words: tuple[str, ...], vocabulary: frozenset[str]) -> tuple[str, ...]:
    joined = _join_letters(words, vocabulary)
    unknown = [w for w in joined if w not in vocabulary and len(w) >= MIN_LENGTH and w.isalpha()]
    if not unknown:
        return joined
    from rapidfuzz import fuzz, process

    choices = _long_words(vocabulary)
    out: list[str] = []
    for word in joined:
        if word in vocabulary or len(word) < MIN_LENGTH or not word.isalpha():
            out.append(word)
            continue
        near = [w for w in choices if abs(len(w) - len(word)) <= MAX_LENGTH_CHANGE]
        best = process.extractOne(word, near, scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
        out.append(best[0] if best is not None else word)
    return tuple(out)


@cache  # one vocabulary per catalogue: sorted once, not on every turn with a misheard word
def _long_words(vocabulary: frozenset[str]) -> list[str]:
    return sorted(w for w in vocabulary if len(w) >= MIN_LENGTH - 1 and w.isalpha())


def _join_letters(words: tuple[str, ...], vocabulary: frozenset[str]) -> tuple[str, ...]:
    """Runs of two or more single letters joined when the catalogue knows the word ("i t" -> it)."""
    out: list[str] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and len(words[j]) == 1 and words[j].isalpha():
            j += 1
        joined = "".join(words[i:j])
        if j - i >= 2 and joined in vocabulary:
            out.append(joined)
            i = j
        else:
            out.append(words[i])
            i += 1
    return tuple(out)
