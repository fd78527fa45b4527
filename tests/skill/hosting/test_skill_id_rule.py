"""One skill-id rule on every web host (issue 26): without a skill id nothing starts unless the
opt-out says so; every request addressed to another skill is refused with one log line; the
configured id is trimmed. Lambda's side of the matrix is tests/lambda/test_skill_id_lambda.py."""

from __future__ import annotations

import json
import logging

import pytest
from _web_signing import SKILL_ID, build_pki, envelope, make_skill, other_skill_variants, signed

from hipcoach.hosting import skill_id as skill_ids
from hipcoach.hosting import verify as webverify
from hipcoach.hosting import web

NAMES = sorted(other_skill_variants())  # built again in each test: timestamps stay fresh


@pytest.fixture(scope="module")
def pki():
    return build_pki()


@pytest.fixture
def trusted(monkeypatch, pki):
    monkeypatch.setattr(webverify, "fetch_cert_chain", lambda url: pki.good.chain_pem)
    monkeypatch.setattr(webverify, "default_trust_roots", lambda: (pki.root,))


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def lines():
    handler = _Lines()
    logger = logging.getLogger("hipcoach")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


@pytest.mark.parametrize("verify", [True, False], ids=["verified", "no_verify"])
@pytest.mark.parametrize("name", NAMES)
def test_requests_for_another_skill_are_refused_with_one_log_line(
    trusted, pki, lines, name, verify
):
    client = web.create_app(make_skill(), verify=verify, skill_id=SKILL_ID).test_client()
    body, headers = signed(pki.good, other_skill_variants()[name])
    assert client.post("/", data=body, headers=headers).status_code == 400
    refused = [r for r in lines if r.getMessage() in ("verification_failed", "request")]
    assert len(refused) == 1, [r.getMessage() for r in refused]
    fields = getattr(refused[0], "fields", {})
    assert (fields["check"], fields["reason"]) == ("skill_id", "skill id does not match")


@pytest.mark.parametrize("configured", [f" {SKILL_ID}\n", f"\t{SKILL_ID}"])
def test_the_configured_id_is_trimmed(trusted, pki, configured):
    client = web.create_app(make_skill(), verify=True, skill_id=configured).test_client()
    assert (
        client.post("/", data=(s := signed(pki.good, envelope()))[0], headers=s[1]).status_code
        == 200
    )


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_no_skill_id_builds_no_app(blank):
    with pytest.raises(skill_ids.SkillIdUnset):
        web.create_app(make_skill(), verify=True, skill_id=blank)


def test_the_opt_out_answers_any_skill_and_says_so(trusted, pki):
    client = web.create_app(make_skill(), verify=True, allow_any_skill=True).test_client()
    body, headers = signed(pki.good, other_skill_variants()["both_other"])
    assert client.post("/", data=body, headers=headers).status_code == 200


def test_the_gunicorn_app_refuses_to_build_without_skill_id(monkeypatch, lines):
    monkeypatch.delenv("SKILL_ID", raising=False)
    monkeypatch.delenv(skill_ids.ALLOW_ANY_SKILL_ENV, raising=False)
    built = []
    monkeypatch.setattr(web, "_skill_from_app", lambda: built.append(1) or make_skill())
    with pytest.raises(skill_ids.SkillIdUnset):
        web.wsgi_app()
    assert built == []  # refused before the skill (and its store) is built
    assert [r.getMessage() for r in lines] == ["skill_id_unset"]
    monkeypatch.setenv("SKILL_ID", "   ")
    with pytest.raises(skill_ids.SkillIdUnset):
        web.wsgi_app()


def test_the_gunicorn_app_with_a_padded_skill_id_checks_the_trimmed_one(monkeypatch, trusted, pki):
    monkeypatch.setenv("SKILL_ID", f"  {SKILL_ID} \n")
    monkeypatch.setattr(web, "_skill_from_app", make_skill)
    client = web.wsgi_app().test_client()
    body, headers = signed(pki.good, envelope())
    assert client.post("/", data=body, headers=headers).status_code == 200
    for name, payload in other_skill_variants().items():
        body, headers = signed(pki.good, payload)
        assert client.post("/", data=body, headers=headers).status_code == 400, name


def test_serve_refuses_to_start_without_skill_id(monkeypatch, capsys):
    monkeypatch.delenv("SKILL_ID", raising=False)
    monkeypatch.delenv(skill_ids.ALLOW_ANY_SKILL_ENV, raising=False)
    monkeypatch.setattr(web, "make_http_server", lambda *a: pytest.fail("server started"))
    assert web.serve(["--port", "0"], skill_factory=make_skill) == 2
    err = capsys.readouterr().err
    assert "refusing to start" in err and "SKILL_ID" in err


def test_serve_no_verify_implies_the_opt_out_with_its_warnings(monkeypatch, capsys):
    monkeypatch.delenv("SKILL_ID", raising=False)
    apps = []

    class Server:
        server_port = 0

        def serve_forever(self) -> None:
            pass

        def server_close(self) -> None:
            pass

    monkeypatch.setattr(web, "make_http_server", lambda app, *a: apps.append(app) or Server())
    assert web.serve(["--no-verify", "--port", "0"], skill_factory=make_skill) == 0
    err = capsys.readouterr().err
    assert web.NO_VERIFY_WARNING in err and web.ANY_SKILL_WARNING in err
    answer = apps[0].test_client().post("/", json=other_skill_variants()["both_other"])
    assert answer.status_code == 200 and json.loads(answer.data)["response"]
