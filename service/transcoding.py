"""The event store's serialisation: orjson, with transcodings for the value objects.

Registered types are written as ``{"_type_": name, "_data_": ...}`` exactly as the
library's JSONTranscoder does, so stored events stay readable by either. Dates with
precision are stored as EDTF strings (``2023-07~``), money as ``"764000.00 GBP"``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.values import EffectiveDate, Money

_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


class OrjsonTranscoder(JSONTranscoder):
    """A JSONTranscoder that encodes and decodes with orjson."""

    def encode(self, obj: Any) -> bytes:
        return orjson.dumps(obj, default=self._encode_obj, option=_OPTIONS)

    def decode(self, data: bytes) -> Any:
        return self.walk(orjson.loads(data))

    def walk(self, value: Any) -> Any:
        if isinstance(value, dict):
            if len(value) == 2 and "_type_" in value and "_data_" in value:
                return self._decode_obj(value)
            return {k: self.walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.walk(v) for v in value]
        return value


class EffectiveDateAsEdtf(Transcoding):
    type = EffectiveDate
    name = "edtf"

    def encode(self, obj: EffectiveDate) -> str:
        return obj.edtf

    def decode(self, data: str) -> EffectiveDate:
        return EffectiveDate.parse(data)


class MoneyAsText(Transcoding):
    type = Money
    name = "money"

    def encode(self, obj: Money) -> str:
        return obj.text

    def decode(self, data: str) -> Money:
        return Money.from_text(data)


class DecimalAsText(Transcoding):
    type = Decimal
    name = "decimal_str"

    def encode(self, obj: Decimal) -> str:
        return str(obj)

    def decode(self, data: str) -> Decimal:
        return Decimal(data)


class DatetimeAsIso(Transcoding):
    type = datetime
    name = "datetime_iso"

    def encode(self, obj: datetime) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> datetime:
        return datetime.fromisoformat(data)


def register_value_transcodings(transcoder: JSONTranscoder) -> None:
    for transcoding in (
        EffectiveDateAsEdtf(),
        MoneyAsText(),
        DecimalAsText(),
        DatetimeAsIso(),
    ):
        transcoder.register(transcoding)


def make_transcoder() -> OrjsonTranscoder:
    """The application's transcoder with every transcoding registered."""
    from eventsourcing.persistence import UUIDAsHex

    transcoder = OrjsonTranscoder()
    transcoder.register(UUIDAsHex())
    register_value_transcodings(transcoder)
    return transcoder
