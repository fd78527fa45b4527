"""The runner's record as one request sees it: load, change, delete, with no request type in view.

The dialog reads and writes the record through a `RecordAccess`; the edge (`hipcoach.app`) builds
the one that goes through ask-sdk's attributes manager (`hipcoach.persistence.user_record`), and
tests may hand in any other.
"""

from __future__ import annotations

from typing import Protocol

from ask_sdk_core.handler_input import HandlerInput

from hipcoach.persistence import user_record
from hipcoach.persistence.user_record import Change, Record, UpdateResult
from hipcoach.records import record


class RecordAccess(Protocol):
    def load(self) -> Record | None: ...

    def update(self, change: Change) -> UpdateResult: ...

    def delete_all(self) -> bool: ...


@record(frozen=True)
class RequestRecords:
    """The record of the request's user, through the skill's persistence adapter."""

    handler_input: HandlerInput

    def load(self) -> Record | None:
        return user_record.load(self.handler_input)

    def update(self, change: Change) -> UpdateResult:
        return user_record.update(self.handler_input, change)

    def delete_all(self) -> bool:
        return user_record.delete_all(self.handler_input)
