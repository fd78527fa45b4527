"""Render timed steps to audio with espeak-ng and measure them with sox: the audio lasts at least
as long as the holds, rests and reps it times (scripts/install-system-deps.sh installs both)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from hipcoach.routines.loader import routines
from hipcoach.routines.speech import render_step
from hipcoach.speech.texts import Texts

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("espeak-ng") and shutil.which("soxi")),
        reason="espeak-ng and sox are needed (make install runs scripts/install-system-deps.sh)",
    ),
]


def audio_seconds(ssml: str, folder: Path) -> float:
    source, wav = folder / "step.ssml", folder / "step.wav"
    source.write_text(ssml, encoding="utf-8")
    # -m: the input is SSML, so <break time="…ms"/> becomes real silence.
    subprocess.run(["espeak-ng", "-m", "-w", str(wav), "-f", str(source)], check=True, timeout=60)
    out = subprocess.run(["soxi", "-D", str(wav)], check=True, capture_output=True, text=True)
    return float(out.stdout.strip())


def find(routine_id: str, exercise_id: str, side: str | None, set_number: int) -> int:
    routine = routines()[routine_id]
    for index, step in enumerate(routine.steps()):
        exercise = routine.exercise_of(step)
        if (exercise.id, step.side, step.set) == (exercise_id, side, set_number):
            return index
    raise LookupError(exercise_id)


@pytest.mark.parametrize(
    ("routine_id", "exercise_id", "side", "set_number", "timed"),
    [
        ("stretch", "hip_flexor_stretch", "left", 1, 30),  # a 30 s hold, chained breaks
        ("stretch", "inner_hip_stretch", "right", 1, 30 + 5),  # hold, then a rest
        ("strength", "seated_hip_bend", "left", 1, 5 * 10 + 4 * 2),  # five 10 s holds
        ("strength", "banded_hip_flexor_raises", "right", 1, 10 * 3 + 20),  # reps, then rest
    ],
)
def test_audio_lasts_at_least_as_long_as_what_it_times(
    tmp_path, routine_id, exercise_id, side, set_number, timed
):
    routine = routines()[routine_id]
    speech = render_step(routine, find(routine_id, exercise_id, side, set_number), Texts("en-US"))
    assert speech.timed_seconds == timed
    seconds = audio_seconds(speech.ssml, tmp_path)
    assert seconds >= timed
    assert seconds <= 90  # and stays well inside what a runner waits through
