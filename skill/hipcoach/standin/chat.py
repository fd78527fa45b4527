"""`hipcoach chat`: a stand-in for an Echo. Each utterance goes through the local NLU into a real
RequestEnvelope, through the same skill object Lambda runs (or over HTTP to a running web
service), and the reply is printed (and spoken with --speak)."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from ask_sdk_model import IntentRequest, RequestEnvelope, ResponseEnvelope, Slot
from ask_sdk_model.slu.entityresolution import StatusCode
from ask_sdk_model.ui import SsmlOutputSpeech

from hipcoach.intent_result import NluResult
from hipcoach.speech import said
from hipcoach.speech.locales import policies
from hipcoach.speech.ssml import plain
from hipcoach.standin import envelopes
from hipcoach.standin.envelopes import Conversation, DeviceProfile
from hipcoach.standin.nlu import Nlu, parse_invocation

QUIT_WORDS = {"quit", "exit", "bye bye console", ":q"}
USER_PREFIX = "amzn1.ask.account.local-"


class EndpointRefused(RuntimeError):
    """The web service answered 400: it verifies requests, and the console's are not signed."""

    def __init__(self, endpoint: str) -> None:
        super().__init__(
            f"{endpoint} refused the request (HTTP 400). A verifying server accepts only requests "
            "signed by Amazon, and the console cannot sign them: start the server for local "
            "testing with `hipcoach serve --no-verify`, or talk to the skill in process with "
            "`hipcoach chat` (no --endpoint)."
        )


class Transport:
    """Delivers a request envelope to the skill and returns its response envelope."""

    def __init__(self, endpoint: str | None) -> None:
        self.endpoint = endpoint
        self._skill: Any = None
        # The text keys the last in-process response was built from; None over HTTP (unknown).
        self.said: list[str] | None = None

    def send(self, envelope: RequestEnvelope) -> ResponseEnvelope:
        self.said = None
        if self.endpoint:
            import requests

            reply = requests.post(
                self.endpoint,
                data=envelopes.to_json(envelope),
                headers={"Content-Type": "application/json"},
                timeout=10,
            )
            if reply.status_code == 400:
                raise EndpointRefused(self.endpoint)
            reply.raise_for_status()
            return envelopes.response_from_json(reply.text)
        if self._skill is None:
            from hipcoach.app import default_skill

            self._skill = default_skill()
        with said.recording() as keys:
            response: ResponseEnvelope = self._skill.invoke(request_envelope=envelope, context=None)
        self.said = said.unique(keys)
        return response


def _lines(source: IO[str]) -> Iterator[str]:
    for line in source:
        text = line.strip()
        if text and not text.startswith("#"):
            yield text


class Console:
    def __init__(self, args: argparse.Namespace) -> None:
        self.locale = args.locale
        user = f"{USER_PREFIX}{args.user}"
        self.conversation = Conversation(args.locale, DeviceProfile(user_id=user, apl=args.apl))
        self.nlu = Nlu(args.locale)
        self.transport = Transport(args.endpoint)
        self.day = date.fromisoformat(args.date) if args.date else None
        self.turn = 0
        self.previous_outcome: Any = None

    def _timestamp(self) -> datetime:
        self.turn += 1
        stamp = envelopes.request_timestamp(self.day)
        return stamp + timedelta(seconds=self.turn) if self.day else stamp

    def _today(self) -> date:
        return self.day or date.today()

    def request_for(self, utterance: str) -> tuple[RequestEnvelope, NluResult | None]:
        stamp = self._timestamp()
        invocation = parse_invocation(utterance)
        if invocation is not None and invocation.kind == "launch":
            return self.conversation.launch(stamp), None
        text = invocation.request if invocation is not None else utterance
        if invocation is not None and self.conversation.in_session:
            self.conversation.session = None  # a one-shot starts its own session
        understood = self.nlu.resolve(text, self._today())
        return self.conversation.intent(understood, stamp), understood

    def turn_record(self, utterance: str) -> dict[str, Any]:
        envelope, understood = self.request_for(utterance)
        response = self.transport.send(envelope)
        ended = self.conversation.absorb(response)
        body = response.response
        speech = body.output_speech if body else None
        ssml = speech.ssml if isinstance(speech, SsmlOutputSpeech) else None
        reprompt = None
        spoken_again = body.reprompt.output_speech if body and body.reprompt else None
        if isinstance(spoken_again, SsmlOutputSpeech):
            reprompt = plain(spoken_again.ssml or "")
        attributes = response.session_attributes or {}
        interview = attributes.get("interview") if isinstance(attributes, dict) else None
        asking = None
        if attributes.get("mode") == "interview" and isinstance(interview, dict):
            asking = interview.get("asking")
        outcome = attributes.get("outcome")
        result = outcome if outcome and outcome != self.previous_outcome else None
        in_check = attributes.get("mode") == "interview" or result is not None
        findings = _contract_findings(interview) if in_check else None
        self.previous_outcome = outcome
        if ended:
            self.previous_outcome = None
        intent, slots = _heard(envelope, understood)
        return {
            "user": utterance,
            "intent": intent,
            "slots": slots,
            "speech": plain(ssml) if ssml else "",
            "ssml": ssml,
            "reprompt": reprompt,
            "end_session": ended,
            "asking": asking,
            "result": result,
            "findings": findings,
            "said": self.transport.said,  # text keys, in the order used (in process only)
        }


def _heard(envelope: RequestEnvelope, routed: NluResult | None) -> tuple[str, dict[str, str]]:
    """The intent the skill dispatched on and its slot ids: in process, the skill's understanding
    rewrote the request in place; over HTTP only Alexa's routing is known."""
    if routed is None:
        return "LaunchRequest", {}
    request = envelope.request
    intent = request.intent if isinstance(request, IntentRequest) else None
    if intent is None or intent.name is None:
        return routed.intent, routed.slot_ids()
    return intent.name, {
        name: slot_id(slot) or "" for name, slot in (intent.slots or {}).items() if slot.value
    }


def slot_id(slot: Slot) -> str | None:
    """The resolved value id (ER_SUCCESS_MATCH), else the value heard."""
    resolutions = slot.resolutions.resolutions_per_authority if slot.resolutions else None
    for authority in resolutions or []:
        value = authority.values[0].value if authority.values else None
        matched = authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH
        if matched and value is not None:
            return str(value.id)
    return str(slot.value) if slot.value is not None else None


def _contract_findings(interview: object) -> dict[str, Any] | None:
    """The check's findings so far, without the screens' own answers (not contract names)."""
    from hipcoach.medical.knowledge import knowledge

    if not isinstance(interview, dict) or not isinstance(interview.get("findings"), dict):
        return None
    questions = knowledge().questions
    return {
        name: value
        for name, value in interview["findings"].items()
        if not (name in questions and questions[name].covers)
    }


def _again() -> str:
    """How to start the console again, as this shell can run it: `hipcoach chat` only when that
    name is on PATH (after `make run` it is not, unless the venv is activated)."""
    if shutil.which("hipcoach"):
        return "`hipcoach chat`"
    here = Path(sys.argv[0]).resolve()
    try:
        shown = here.relative_to(Path.cwd())
    except ValueError:
        shown = here
    if here.name == "hipcoach" and here.is_file():
        return f"`{shown} chat` (or `make run`)"
    return "`make run`"


def _speak(text: str) -> None:
    if text and shutil.which("espeak-ng"):
        subprocess.run(["espeak-ng", text], check=False, capture_output=True)


def run(
    console: Console,
    utterances: Iterable[str],
    as_json: bool,
    speak: bool,
    out: IO[str],
    *,
    exit_when_ended: bool = False,
) -> int:
    """Play the utterances; 0, or 1 when any turn failed (say, at the endpoint). `exit_when_ended`
    (the interactive console) stops when the skill ends the session, as an Echo falls silent."""
    failed = False
    for utterance in utterances:
        if utterance.lower() in QUIT_WORDS:
            break
        try:
            record = console.turn_record(utterance)
        except Exception as error:  # network or server trouble with --endpoint: say so
            failed = True
            record = {"user": utterance, "error": f"{type(error).__name__}: {error}"}
            print(json.dumps(record) if as_json else f"(error) {record['error']}", file=out)
            out.flush()
            if isinstance(error, EndpointRefused):
                break  # every later request would be refused too
            continue
        if as_json:
            print(json.dumps(record, ensure_ascii=False), file=out)
        else:
            print(f"Alexa: {record['speech']}", file=out)
            if record["end_session"]:
                ending = f"; run {_again()} again to start a new one" if exit_when_ended else ""
                print(f"(session ended{ending})", file=out)
        out.flush()
        if speak:
            _speak(record["speech"])
        if exit_when_ended and record["end_session"]:
            break
    return 1 if failed else 0


def _prompted(stream: IO[str]) -> Iterator[str]:
    print("Hip Coach console. Say 'open hip coach' to begin; 'quit' to leave.")
    while True:
        try:
            line = input("You: ")
        except EOFError:
            return
        if line.strip():
            yield line.strip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hipcoach chat", description=__doc__)
    parser.add_argument("--json", action="store_true", help="one JSON object per turn")
    parser.add_argument("--script", help="a file with one utterance per line")
    parser.add_argument(
        "--user", default="default", help="the persistent user (default: one local user)"
    )
    parser.add_argument("--date", help="today's date for the session, YYYY-MM-DD")
    parser.add_argument("--endpoint", help="send the envelopes to a running web service")
    parser.add_argument("--speak", action="store_true", help="speak replies with espeak-ng")
    parser.add_argument("--locale", default="en-US", choices=sorted(policies().by_locale))
    parser.add_argument("--apl", action="store_true", help="pretend to be a device with a screen")
    args = parser.parse_args(argv)
    if args.date:
        try:
            date.fromisoformat(args.date)
        except ValueError:
            print(f"hipcoach chat: --date must be YYYY-MM-DD, not {args.date!r}", file=sys.stderr)
            return 2
    console = Console(args)
    if args.script:
        try:
            with open(args.script, encoding="utf-8") as handle:
                return run(console, list(_lines(handle)), args.json, args.speak, sys.stdout)
        except OSError as error:
            print(f"hipcoach chat: cannot read {args.script}: {error.strerror}", file=sys.stderr)
            return 2
    if args.json or not sys.stdin.isatty():
        return run(console, _lines(sys.stdin), args.json, args.speak, sys.stdout)
    return run(console, _prompted(sys.stdin), False, args.speak, sys.stdout, exit_when_ended=True)
