"""DynamoDB persistence against moto's server mode, started and stopped by this module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from _web_signing import SKILL_ID, envelope
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from hipcoach.persistence import PersistenceUnavailable
from hipcoach.persistence import dynamodb as ddb

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("moto")]
ROOT = Path(__file__).resolve().parents[3]


def request_for(user_id: str) -> RequestEnvelope:
    payload = envelope()
    for place in (payload["session"], payload["context"]["System"]):
        place["user"] = {"userId": user_id}
    return DefaultSerializer().deserialize(payload=json.dumps(payload), obj_type=RequestEnvelope)


ATTRIBUTES = {
    "profile": {"unit": "miles", "locale": "en-US"},
    "training": {"weeks": [{"km": 32.5, "runs": 4}, {"km": 40, "runs": 5}], "ratio": 0.1},
    "shoes": {"km": 412.75, "since": "2026-01-03"},
    "episode": {"severity": 4, "flags": ["night_pain"], "resolved": False, "note": None},
}


def test_save_load_delete(table, moto_endpoint):
    adapter = ddb.dynamodb_adapter(table, region="eu-west-1", endpoint_url=moto_endpoint)
    runner = request_for("amzn1.ask.account.RUNNER-A")
    assert adapter.get_attributes(runner) == {}
    adapter.save_attributes(runner, ATTRIBUTES)
    assert adapter.get_attributes(runner) == ATTRIBUTES
    adapter.delete_attributes(runner)
    assert adapter.get_attributes(runner) == {}


def test_numbers_come_back_as_int_and_float(table, moto_endpoint):
    adapter = ddb.dynamodb_adapter(table, region="eu-west-1", endpoint_url=moto_endpoint)
    runner = request_for("amzn1.ask.account.NUMBERS")
    adapter.save_attributes(runner, {"a": 3, "b": 2.5, "c": [1, 0.1, 10**12], "d": {"e": -7}})
    loaded = adapter.get_attributes(runner)
    assert loaded == {"a": 3, "b": 2.5, "c": [1, 0.1, 10**12], "d": {"e": -7}}
    assert type(loaded["a"]) is int and type(loaded["b"]) is float
    assert type(loaded["c"][1]) is float and type(loaded["d"]["e"]) is int
    # What the raw adapter would have handed the skill:
    raw = adapter.inner.get_attributes(runner)
    assert isinstance(raw["a"], Decimal)


def test_two_users_kept_apart(table, moto_endpoint):
    adapter = ddb.dynamodb_adapter(table, region="eu-west-1", endpoint_url=moto_endpoint)
    alice, bob = request_for("amzn1.ask.account.ALICE"), request_for("amzn1.ask.account.BOB")
    adapter.save_attributes(alice, {"profile": {"unit": "km"}})
    adapter.save_attributes(bob, {"profile": {"unit": "miles"}})
    assert adapter.get_attributes(alice) == {"profile": {"unit": "km"}}
    assert adapter.get_attributes(bob) == {"profile": {"unit": "miles"}}
    adapter.delete_attributes(alice)
    assert adapter.get_attributes(alice) == {}
    assert adapter.get_attributes(bob) == {"profile": {"unit": "miles"}}


def test_missing_table_is_unavailable_not_a_crash(moto_endpoint, aws_env):
    adapter = ddb.dynamodb_adapter("no-such-table", region="eu-west-1", endpoint_url=moto_endpoint)
    with pytest.raises(PersistenceUnavailable):
        adapter.get_attributes(request_for("amzn1.ask.account.X"))
    with pytest.raises(PersistenceUnavailable):
        adapter.save_attributes(request_for("amzn1.ask.account.X"), {"a": 1})


def test_from_environment(table, moto_endpoint, monkeypatch):
    assert ddb.from_environment() is None
    monkeypatch.setenv(ddb.TABLE_ENV, table)
    monkeypatch.setenv(ddb.ENDPOINT_ENV, moto_endpoint)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    adapter = ddb.from_environment()
    runner = request_for("amzn1.ask.account.ENV")
    adapter.save_attributes(runner, {"x": 1.5})
    assert adapter.get_attributes(runner) == {"x": 1.5}


def test_conversions():
    assert ddb.to_dynamodb({"a": (1, 2.5), "b": True}) == {"a": [1, Decimal("2.5")], "b": True}
    assert ddb.from_dynamodb({"a": [Decimal("2"), Decimal("0.25")], "b": {Decimal(1)}}) == {
        "a": [2, 0.25],
        "b": [1],
    }
    with pytest.raises(PersistenceUnavailable):
        ddb.to_dynamodb({"a": float("nan")})


def test_adapter_import_needs_no_region_configured():
    """The import-time trap: ask_sdk_dynamodb builds a boto3 resource when imported."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE="/nonexistent", AWS_SHARED_CREDENTIALS_FILE="/nonexistent")
    code = (
        "from hipcoach.persistence.dynamodb import dynamodb_adapter\n"
        "a = dynamodb_adapter('t')\n"
        "print(a.inner.dynamodb.meta.client.meta.region_name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "us-east-1"


def test_lambda_handler_remembers_on_dynamodb(table, moto_endpoint, monkeypatch):
    """The real skill in the Lambda handler, persisting to the table."""
    import importlib.util

    import boto3

    monkeypatch.setenv(ddb.TABLE_ENV, table)
    monkeypatch.setenv(ddb.ENDPOINT_ENV, moto_endpoint)
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("SKILL_ID", SKILL_ID)
    spec = importlib.util.spec_from_file_location(
        "lambda_function_under_test", ROOT / "lambda" / "lambda_function.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    skill = module.get_skill()
    assert isinstance(skill.persistence_adapter, ddb.PlainNumbersAdapter)
    answer = module.lambda_handler(envelope(), None)
    assert answer["response"]["outputSpeech"]["ssml"]
    runner = request_for("amzn1.ask.account.TESTUSER")
    skill.persistence_adapter.save_attributes(runner, {"profile": {"unit": "km"}})
    items = boto3.client("dynamodb", region_name="eu-west-1", endpoint_url=moto_endpoint).scan(
        TableName=table
    )["Items"]
    assert [item["id"]["S"] for item in items] == ["amzn1.ask.account.TESTUSER"]
