"""Persistent attributes on DynamoDB, through ask-sdk-dynamodb-persistence-adapter.

Two traps are handled here so the rest of the skill never meets them:

* ``ask_sdk_dynamodb.adapter`` calls ``boto3.resource("dynamodb")`` at import time (a default
  argument), which fails when no region is configured. The module is imported only inside
  :func:`dynamodb_adapter`, after a region default is set (``AWS_REGION``, as Lambda sets it, else
  ``AWS_DEFAULT_REGION``, else ``us-east-1``).
* DynamoDB numbers come back as ``Decimal`` and boto3 refuses ``float`` on write. The adapter is
  wrapped: floats go in as ``Decimal``, and ``Decimal`` comes back out as ``int`` (whole numbers)
  or ``float``.

One item per user: key ``id`` (string, the adapter's default: the Alexa user id), the attributes
under ``attributes``.
"""

from __future__ import annotations

import math
import os
from decimal import Decimal
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from hipcoach.persistence.errors import PersistenceUnavailable

TABLE_ENV = "HIPCOACH_DYNAMODB_TABLE"
ENDPOINT_ENV = "HIPCOACH_DYNAMODB_ENDPOINT"
DEFAULT_REGION = "us-east-1"
PARTITION_KEY = "id"
ATTRIBUTE_NAME = "attributes"
# botocore's defaults (60 s connect and read timeouts, retried) would hold a request for minutes
# when DynamoDB does not answer; Alexa waits 8 s and the Lambda timeout is 7 s. DynamoDB answers
# in milliseconds: give up quickly and carry on without memory.
CONNECT_TIMEOUT_SECONDS = 0.5
READ_TIMEOUT_SECONDS = 1.0
MAX_ATTEMPTS = 2


def region_default(region: str | None = None) -> str:
    """Pick the region and make sure boto3's default session can find one (import-time trap)."""
    chosen = (
        region
        or os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or DEFAULT_REGION
    )
    os.environ.setdefault("AWS_DEFAULT_REGION", chosen)
    return chosen


def to_dynamodb(value: Any) -> Any:
    """Attributes as boto3 accepts them: floats become Decimal, tuples lists."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PersistenceUnavailable("DynamoDB cannot store NaN or infinity")
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {str(k): to_dynamodb(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_dynamodb(v) for v in value]
    return value


def from_dynamodb(value: Any) -> Any:
    """Attributes as the skill wrote them: Decimal becomes int (whole) or float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: from_dynamodb(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_dynamodb(v) for v in value]
    if isinstance(value, set | frozenset):
        return [from_dynamodb(v) for v in sorted(value, key=str)]
    return value


class PlainNumbersAdapter(AbstractPersistenceAdapter):
    """Wraps the DynamoDB adapter: plain ints and floats in and out, one error type."""

    def __init__(self, inner: AbstractPersistenceAdapter) -> None:
        self.inner = inner

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        try:
            stored = self.inner.get_attributes(request_envelope)
        except PersistenceException as exc:
            raise PersistenceUnavailable("DynamoDB read failed") from exc
        attributes: dict[str, Any] = from_dynamodb(stored) if isinstance(stored, dict) else {}
        return attributes

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: Any) -> None:
        try:
            self.inner.save_attributes(request_envelope, to_dynamodb(attributes))
        except PersistenceException as exc:
            raise PersistenceUnavailable("DynamoDB write failed") from exc

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        try:
            self.inner.delete_attributes(request_envelope)
        except PersistenceException as exc:
            raise PersistenceUnavailable("DynamoDB delete failed") from exc


def dynamodb_adapter(
    table_name: str, region: str | None = None, endpoint_url: str | None = None
) -> PlainNumbersAdapter:
    """The skill's persistence adapter on the DynamoDB table ``table_name``."""
    chosen = region_default(region)
    import boto3
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter  # only now: it builds a resource
    from botocore.config import Config

    config = Config(
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        read_timeout=READ_TIMEOUT_SECONDS,
        retries={"mode": "standard", "total_max_attempts": MAX_ATTEMPTS},
    )
    resource = boto3.resource(
        "dynamodb", region_name=chosen, endpoint_url=endpoint_url, config=config
    )
    inner = DynamoDbAdapter(
        table_name=table_name,
        partition_key_name=PARTITION_KEY,
        attribute_name=ATTRIBUTE_NAME,
        create_table=False,
        dynamodb_resource=resource,
    )
    return PlainNumbersAdapter(inner)


def from_environment() -> PlainNumbersAdapter | None:
    """The DynamoDB adapter when ``HIPCOACH_DYNAMODB_TABLE`` is set, else None."""
    table = os.environ.get(TABLE_ENV, "").strip()
    if not table:
        return None
    return dynamodb_adapter(table, endpoint_url=os.environ.get(ENDPOINT_ENV) or None)
