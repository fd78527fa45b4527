"""An independent client: Bespoken's virtual-alexa (tests/virtual_alexa, npm) resolves each
utterance from the generated interaction model alone (Alexa's: built-in intents and the catch-all
answer intents) and posts it to `hipcoach serve` over HTTP. Whole interviews, both locales; the
skill's own understanding reads the words; the assertions read what the skill recorded and
decided."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _net import free_port, server_env, stop, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
DRIVER = ROOT / "tests" / "virtual_alexa"
MODELS = ROOT / "skill" / "skill-package" / "interactionModels" / "custom"
BIN = ROOT / ".venv" / "bin"

pytestmark = [
    pytest.mark.skipif(shutil.which("node") is None, reason="Node is not installed"),
    pytest.mark.skipif(
        not (DRIVER / "node_modules" / "virtual-alexa").is_dir(),
        reason="virtual-alexa not installed: run make install (scripts/install-node-deps.sh)",
    ),
    pytest.mark.xdist_group("virtual_alexa"),
]


@pytest.fixture(scope="module")
def skill_url(tmp_path_factory) -> Iterator[str]:
    """`hipcoach serve --no-verify` on a free loopback port, with its own SQLite file."""
    where = tmp_path_factory.mktemp("virtual_alexa")
    port, log = free_port(), where / "serve.log"
    env = server_env(where / "serve.db")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(BIN / "hipcoach"), "serve", "--no-verify", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=where,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, process, log)
        yield url
    finally:
        stop(process)


def drive(url: str, locale: str, *conversations: list[str]) -> list[list[dict[str, Any]]]:
    spec = {
        "model": str(MODELS / f"{locale}.json"),
        "url": url,
        "locale": locale,
        "conversations": list(conversations),
    }
    done = subprocess.run(
        ["node", "drive.js"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        cwd=DRIVER,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def findings(turn: dict[str, Any]) -> dict[str, Any]:
    return dict((turn["session"].get("interview") or {}).get("findings") or {})


def test_a_fall_said_plainly_reaches_the_emergency(skill_url) -> None:
    (turns,) = drive(
        skill_url,
        "en-US",
        ["open hip coach", "check my hip", "yes i fell", "i can't put weight on it"],
    )
    # the words arrive whole: "yes" by its carrier, the rest in the catch-all slot
    assert [t["intent"] for t in turns[2:]] == ["AnswerYesIntent", "UtteranceIntent"]
    assert findings(turns[2])["after_fall_or_injury"] is True
    assert turns[-1]["session"]["outcome"]["triage"] == "emergency"
    assert "911" in turns[-1]["speech"]


def test_volunteered_findings_count_and_durations_arrive_as_words(skill_url) -> None:
    opening, later = drive(
        skill_url,
        "en-GB",
        [
            "open hip coach",
            "it hurts on the outside of my hip and when i lie on it",
            "no",
            "none of those",
            "it wakes me up at night",
            # issue 22: with night pain, rest pain and a history of cancer could make it urgent
            "after the run",
            "no",  # cancer or steroids?
        ],
        [
            "open hip coach",
            "check my hip",
            "no",
            "no",
            "the outside of my hip",
            "no",
            "about two weeks",
        ],
    )
    assert opening[1]["intent"] == "UtteranceIntent"
    recorded = findings(opening[-1])
    assert recorded["pain_location"] == "outer_hip"  # never asked: said at the menu
    assert recorded["worse_lying_on_side"] is True
    assert recorded["night_pain"] is True  # named at the concern screen
    assert opening[-1]["session"]["outcome"]["triage"] == "see_professional"
    assert later[-1]["intent"] == "UtteranceIntent"
    assert findings(later[-1])["pain_days"] == 14  # "about two weeks", read by the skill


def test_a_screen_answered_by_naming_items_in_both_locales(skill_url) -> None:
    us, gb = (
        drive(skill_url, locale, ["open hip coach", "check my hip", "no", said])[0]
        for locale, said in (("en-US", "i have a fever"), ("en-GB", "pins and needles"))
    )
    assert findings(us[-1])["fever_or_chills"] is True
    assert findings(gb[-1])["numbness_or_tingling"] is True
    for turns in (us, gb):
        assert findings(turns[-1])["urgent_screen"] is True


def test_the_words_arrive_whole_and_a_list_is_negated_whole(skill_url) -> None:
    """Alexa routes only: the words reach the skill verbatim, and its ConText reading negates the
    whole list ("no fever or swelling, nothing like that" records neither)."""
    (turns,) = drive(
        skill_url,
        "en-US",
        ["open hip coach", "check my hip", "no", "no fever or swelling nothing like that"],
    )
    answer = turns[-1]
    assert answer["intent"] == "AnswerNoIntent"
    assert answer["slots"]["words"] == "fever or swelling nothing like that"
    recorded = findings(answer)
    assert recorded.get("sudden_swelling") is not True
    assert recorded.get("fever_or_chills") is not True
