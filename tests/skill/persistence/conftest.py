"""Fixtures of the DynamoDB tests: fake credentials, and a fresh table on moto's server."""

from __future__ import annotations

import uuid

import pytest

from hipcoach.persistence import dynamodb as ddb

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


@pytest.fixture
def aws_env(monkeypatch):
    for key, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", ddb.TABLE_ENV):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")


@pytest.fixture
def table(moto_endpoint, aws_env) -> str:
    import boto3

    name = f"hipcoach-{uuid.uuid4().hex[:8]}"
    client = boto3.client("dynamodb", region_name="eu-west-1", endpoint_url=moto_endpoint)
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name
