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
under ``attributes`` and a version token under ``version``. ask-sdk's adapter writes
unconditionally (last writer wins), so reads and writes go through :class:`VersionedDynamoDb`,
which wraps it: strongly consistent reads, and a ``put_item`` conditioned on the version read
(``hipcoach.persistence.versioned``). A delete removes the whole item; nothing is copied elsewhere.

Every call asks DynamoDB to report the capacity it consumed, and an answer without that report is
a failure: DynamoDB always includes it when asked, so a ``200 {}`` from a broken proxy or a
truncated answer is never read as "no record" nor taken as a confirmed write.

A malformed ``HIPCOACH_DYNAMODB_ENDPOINT`` does not stop the skill: :func:`from_environment` logs
it once and gives an adapter whose every call is unavailable (the runner hears that memory cannot
be reached; everything else works).
"""

from __future__ import annotations

import math
import os
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from hipcoach import logs
from hipcoach.persistence.errors import PersistenceUnavailable
from hipcoach.persistence.versioned import Stored, VersionedAdapter, WriteConflict, new_version

TABLE_ENV = "HIPCOACH_DYNAMODB_TABLE"
ENDPOINT_ENV = "HIPCOACH_DYNAMODB_ENDPOINT"
DEFAULT_REGION = "us-east-1"
PARTITION_KEY = "id"
ATTRIBUTE_NAME = "attributes"
VERSION_NAME = "version"
# botocore's defaults (60 s connect and read timeouts, retried) would hold a request for minutes
# when DynamoDB does not answer; Alexa waits 8 s and the Lambda timeout is 7 s. DynamoDB answers
# in milliseconds: give up quickly and carry on without memory.
CONNECT_TIMEOUT_SECONDS = 0.5
READ_TIMEOUT_SECONDS = 1.0
MAX_ATTEMPTS = 2
CAPACITY = {"ReturnConsumedCapacity": "TOTAL"}
log = logs.Log(__name__)


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


class PlainNumbersAdapter(VersionedAdapter):
    """Wraps ask-sdk's DynamoDB adapter: plain ints and floats in and out, versioned conditional
    writes, one error type.

    The wrapped adapter supplies the table, the key name and the key of a request; the reads and
    writes are made here because its own are unconditional and eventually consistent.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def _table(self) -> Any:
        return self.inner.dynamodb.Table(self.inner.table_name)

    def _key(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        try:
            return {self.inner.partition_key_name: self.inner.partition_keygen(request_envelope)}
        except PersistenceException as exc:
            raise PersistenceUnavailable("the request carries no user id") from exc
        except AttributeError:
            raise PersistenceUnavailable("the request carries no user id") from None

    def read(self, request_envelope: RequestEnvelope) -> Stored:
        key = self._key(request_envelope)
        try:
            answer = self._table().get_item(Key=key, ConsistentRead=True, **CAPACITY)
        except Exception as exc:  # botocore's errors: unreachable, throttled, no table
            raise PersistenceUnavailable("DynamoDB read failed") from exc
        _confirmed(answer, "read")
        item = answer.get("Item")
        if not item:
            return Stored({}, None)
        stored = item.get(self.inner.attribute_name)
        version = item.get(VERSION_NAME)
        return Stored(
            from_dynamodb(stored) if isinstance(stored, dict) else {},
            version if isinstance(version, str) else "",
        )

    def write(
        self, request_envelope: RequestEnvelope, record: dict[str, Any], expected: str | None
    ) -> str:
        key = self._key(request_envelope)
        version = new_version()
        item = {**key, self.inner.attribute_name: to_dynamodb(record), VERSION_NAME: version}
        names = {"#key": self.inner.partition_key_name, "#version": VERSION_NAME}
        condition: dict[str, Any]
        if expected is None:
            condition = {"ConditionExpression": "attribute_not_exists(#key)"}
            names.pop("#version")
        elif expected == "":  # an item written before versions existed
            condition = {
                "ConditionExpression": "attribute_exists(#key) AND attribute_not_exists(#version)"
            }
        else:
            condition = {
                "ConditionExpression": "#version = :expected",
                "ExpressionAttributeValues": {":expected": expected},
            }
            names.pop("#key")
        try:
            answer = self._table().put_item(
                Item=item, ExpressionAttributeNames=names, **condition, **CAPACITY
            )
        except Exception as exc:
            code = getattr(exc, "response", {}).get("Error", {}).get("Code")
            if code == "ConditionalCheckFailedException":
                raise WriteConflict("the stored record changed since it was read") from None
            raise PersistenceUnavailable("DynamoDB write failed") from exc
        _confirmed(answer, "write")
        return version

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        key = self._key(request_envelope)
        try:
            answer = self._table().delete_item(Key=key, **CAPACITY)
        except Exception as exc:
            raise PersistenceUnavailable("DynamoDB delete failed") from exc
        _confirmed(answer, "delete")


def _confirmed(answer: Any, action: str) -> None:
    """Raise unless ``answer`` is DynamoDB's own (it reports the capacity it was asked for)."""
    if not isinstance(answer, dict) or not isinstance(answer.get("ConsumedCapacity"), dict):
        raise PersistenceUnavailable(f"DynamoDB's answer to a {action} was not confirmed")


class UnreachableStore(VersionedAdapter):
    """The adapter for a configuration that cannot work (a malformed endpoint): every call is
    unavailable, so the skill answers without memory instead of apologising for every request."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def read(self, request_envelope: RequestEnvelope) -> Stored:
        raise PersistenceUnavailable(self.reason)

    def write(
        self, request_envelope: RequestEnvelope, record: dict[str, Any], expected: str | None
    ) -> str:
        raise PersistenceUnavailable(self.reason)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        raise PersistenceUnavailable(self.reason)


def endpoint_problem(endpoint_url: str) -> str | None:
    """Why ``endpoint_url`` cannot be a DynamoDB endpoint (a fixed phrase), or None."""
    try:
        parts = urlsplit(endpoint_url)
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError:
        return "the endpoint is not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "the endpoint is not an http(s) URL with a host"
    return None


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


def from_environment() -> VersionedAdapter | None:
    """The DynamoDB adapter when ``HIPCOACH_DYNAMODB_TABLE`` is set, else None; an
    :class:`UnreachableStore` (logged once, here) when the configuration cannot work."""
    table = os.environ.get(TABLE_ENV, "").strip()
    if not table:
        return None
    endpoint = os.environ.get(ENDPOINT_ENV, "").strip() or None
    problem = endpoint_problem(endpoint) if endpoint else None
    if problem is None:
        try:
            return dynamodb_adapter(table, endpoint_url=endpoint)
        except ValueError:  # botocore's "Invalid endpoint", and the like
            problem = "the endpoint was refused by botocore"
    log.error("memory disabled: %s is malformed (%s)", ENDPOINT_ENV, problem)
    return UnreachableStore(f"{ENDPOINT_ENV} is malformed: {problem}")
