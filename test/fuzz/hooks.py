"""Schemathesis hooks of the fuzz tier (SCHEMATHESIS_HOOKS=hooks, with this folder on PYTHONPATH).

Each hook makes a generated request obey a rule the way a client does: a rule relative to the
moment of the request, between two fields, or to an earlier answer, which no JSON Schema can
state. Only positive cases
(valid by the document) are changed, and only into values the document still allows, so they stay
positive; a negative case is sent as generated, or it could turn valid and be reported as
"negative data accepted". The mode is read before anything changes (schemathesis revalidates a
case its hooks change, from the values then sent).
"""
import re
import uuid
from datetime import date, datetime, timedelta, timezone

import schemathesis
from schemathesis import GenerationMode

VALID_KEY = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    positive = case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
    fresh_idempotency_key(case)
    if positive:
        no_invented_cursor(case)
        rule = CLIENT_RULES.get(case.operation.label)
        if rule is not None:
            rule(case)


def fresh_idempotency_key(case):
    """A client sends a fresh Idempotency-Key per command and the same one only to retry it; the
    generator repeats short values, which the API rightly answers 422 (key reused for a different
    request). So every command with a valid key gets a key of its own; invalid keys (negative
    cases) are sent as generated."""
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and VALID_KEY.match(key):
        case.headers["Idempotency-Key"] = str(uuid.uuid4())


def no_invented_cursor(case):
    """apps/api/src/http/pagination.ts (cursorPosition): a `cursor` is the `next` of an earlier
    answer of the same list, unchanged; a client starts a list without one. A generated cursor is
    left out."""
    if isinstance(case.query, dict) and "cursor" in case.query:
        del case.query["cursor"]


def moments_from_today(case):
    """libs/domain/src/safety/safety-agreement.decider.ts (make): monitoring moments are planned
    from today (UTC, the day of `now`) on; a rhythm runs from `from` up to `until`, on or after
    it, and gives at most MAX_MOMENTS (60) moments. Earlier moments move to today; a rhythm keeps
    its order and is cut to 60 moments."""
    body = case.body
    if not isinstance(body, dict):
        return
    today = datetime.now(timezone.utc).date()
    moments = body.get("moments")
    if isinstance(moments, list):
        body["moments"] = [max(m, today.isoformat()) if isinstance(m, str) else m for m in moments]
    rhythm = body.get("rhythm")
    if isinstance(rhythm, dict) and rhythm.get("every") in RHYTHM_DAYS:
        first, last = _date(rhythm.get("from")), _date(rhythm.get("until"))
        if first is None or last is None:
            return
        first = max(first, today)
        last = min(max(last, first), _add_days(first, (MAX_MOMENTS - 1) * RHYTHM_DAYS[rhythm["every"]]))
        rhythm["from"], rhythm["until"] = first.isoformat(), last.isoformat()


RHYTHM_DAYS = {"week": 7, "two-weeks": 14, "four-weeks": 28}
MAX_MOMENTS = 60


def not_in_future(field):
    """libs/domain/src/family/family.decider.ts (pastInstant),
    libs/domain/src/safety/melding.decider.ts (instant) and
    libs/domain/src/handover/handover.decider.ts (startMoment): what happened is recorded at or
    before now. A later instant becomes now, written with the generated offset."""

    def rule(case):
        body = case.body
        if not isinstance(body, dict):
            return
        instant = _instant(body.get(field))
        now = datetime.now(timezone.utc).replace(microsecond=0)
        if instant is not None and instant > now:
            body[field] = now.astimezone(instant.tzinfo).isoformat()

    return rule


def checked_not_after_today(case):
    """libs/domain/src/safety/safety-agreement.decider.ts (recordResult): `checkedOn` is not after
    today (UTC). A later date becomes today."""
    body = case.body
    today = datetime.now(timezone.utc).date().isoformat()
    if isinstance(body, dict) and _date(body.get("checkedOn")) is not None:
        body["checkedOn"] = min(body["checkedOn"], today)


def target_from_today(case):
    """libs/domain/src/family/family.decider.ts (goalSet): a goal's `targetDate` has not passed
    (its day ends in Amsterdam after now). An earlier date becomes tomorrow (UTC), which has not
    passed anywhere in the Netherlands."""
    body = case.body
    tomorrow = (datetime.now(timezone.utc).date() + timedelta(days=1)).isoformat()
    if isinstance(body, dict) and _date(body.get("targetDate")) is not None:
        body["targetDate"] = max(body["targetDate"], tomorrow)


def to_after_from(case):
    """apps/api/src/management/management-figures.controller.ts (figures): `to` lies after `from`
    (a date is midnight UTC, as JavaScript reads it). Reversed bounds are swapped; equal ones get
    `to` a day (a date) or a second (a moment) later. Schemathesis 4.32 revalidates a changed query
    without its exploded `scope` object, so it counts a request changed here as negative: the
    mismatch warning then rests on the requests generated with `to` after `from`."""
    query = case.query
    if not isinstance(query, dict):
        return
    start, end = _instant(query.get("from")), _instant(query.get("to"))
    if start is None or end is None:
        return
    if end < start:
        query["from"], query["to"] = query["to"], query["from"]
        start, end = end, start
    if end == start:
        day = _date(query["to"])
        query["to"] = (_add_days(day, 1) if day is not None else end + timedelta(seconds=1)).isoformat()


CLIENT_RULES = {
    "POST /cases/{caseId}/safety-agreements": moments_from_today,
    "POST /cases/{caseId}/family/changes": not_in_future("occurredAt"),
    "POST /cases/{caseId}/family/care-avoidance": not_in_future("occurredAt"),
    "GET /management-figures": to_after_from,
    "POST /cases/{caseId}/meldingen": not_in_future("receivedAt"),
    "POST /meldingen/{id}/safety-assessment": not_in_future("completedAt"),
    "POST /meldingen/{id}/investigation": not_in_future("startedAt"),
    "POST /meldingen/{id}/investigation-completion": not_in_future("completedAt"),
    "POST /meldingen/{id}/reporter-informed": not_in_future("informedAt"),
    "POST /handovers/{id}/start-confirmation": not_in_future("startedAt"),
    "POST /safety-agreements/{id}/results": checked_not_after_today,
    "POST /cases/{caseId}/family/goals": target_from_today,
}


def _date(value):
    """A calendar date (YYYY-MM-DD), or None."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _instant(value):
    """A date (its midnight UTC) or an RFC 3339 date-time as an aware datetime, or None when
    Python cannot read it (a leap second, year 0): such a value is sent as generated."""
    day = _date(value)
    if day is not None:
        return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.upper())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _add_days(day, days):
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max
