import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput
from bot.services.customers.records import RecordMapping, RowError, parse_record, to_strptime

PARIS = ZoneInfo("Europe/Paris")


def test_mapped_columns_and_french_dates_become_a_canonical_record() -> None:
    mapping = RecordMapping.from_options(
        ["score=note", "text=avis", "received_at=date_publication", "team=assureur", "reason=produit"],
        date_format="dd/mm/yyyy",
        scale="stars",
        timezone=PARIS,
    )
    record = parse_record(
        {
            "note": "1",
            "avis": "Je vais résilier",
            "date_publication": "06/09/2021",
            "assureur": "Direct Assurance",
            "produit": "auto",
        },
        mapping,
    )
    assert record.score == 1 and record.scale == "stars" and record.team == "Direct Assurance"
    # midnight in Paris is 22:00 UTC the day before (summer time)
    assert record.received_at == datetime(2021, 9, 5, 22, 0, tzinfo=UTC)
    assert record.external_id.startswith("sha1:")


def test_the_same_row_always_gets_the_same_content_hash() -> None:
    mapping = RecordMapping(default_scale=None)
    row = {"received_at": "2026-11-20T10:00:00+00:00", "text": "late", "score": "3", "scale": "csat"}
    assert parse_record(row, mapping).external_id == parse_record(dict(row), mapping).external_id
    assert (
        parse_record({**row, "text": "later"}, mapping).external_id != parse_record(row, mapping).external_id
    )


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"received_at": "2026-02-30", "score": "3", "scale": "csat", "text": "x"}, "does not match"),
        (
            {"received_at": "2026-11-20", "score": "11", "scale": "nps", "text": "x"},
            "out of range for nps (0-10)",
        ),
        (
            {"received_at": "2026-11-20", "score": "0", "scale": "csat", "text": "x"},
            "out of range for csat (1-5)",
        ),
        (
            {"received_at": "2026-11-20", "score": "", "scale": "csat", "text": "  "},
            "empty text and no score",
        ),
        ({"received_at": "2026-11-20", "score": "4", "scale": "ces", "text": "x"}, "unknown scale"),
        ({"received_at": "2026-11-20", "score": "four", "scale": "csat", "text": "x"}, "not a number"),
        ({"received_at": "", "score": "4", "scale": "csat", "text": "x"}, "no date"),
    ],
)
def test_bad_rows_are_rejected_with_the_reason(row: dict, reason: str) -> None:
    with pytest.raises(RowError, match=re.escape(reason)):
        parse_record(row, RecordMapping())


def test_text_is_kept_intact_even_with_slack_control_characters_and_emoji() -> None:
    text = "<!channel> <@U123> 😡 &amp; \u0928\u092e\u0938\u094d\u0924\u0947 " + "long " * 20_000
    record = parse_record({"received_at": "2026-11-20", "text": text, "scale": "nps"}, RecordMapping())
    assert record.text == text and record.score is None


def test_friendly_date_formats_and_bad_map_options() -> None:
    assert to_strptime("dd-Mon-yy") == "%d-%b-%y"
    assert to_strptime("dd/mm/yyyy HH:MI") == "%d/%m/%Y %H:%M"
    with pytest.raises(InvalidInput, match="field=Column"):
        RecordMapping.from_options(["text"], date_format=None, scale=None, timezone=PARIS)
    with pytest.raises(InvalidInput, match="unknown field 'comment'"):
        RecordMapping.from_options(["comment=Remarks"], date_format=None, scale=None, timezone=PARIS)
