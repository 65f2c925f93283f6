"""Schemathesis hooks of the fuzz tier (SCHEMATHESIS_HOOKS=hooks, with this folder on PYTHONPATH).

A client sends a fresh Idempotency-Key per command and the same one only to retry it; the
fuzzer's generator repeats short values, which the API rightly answers 422 (key reused for a
different request). So every generated command with a valid key gets a key of its own, as a
client's would; invalid keys (negative cases) are sent as generated.
"""
import re
import uuid

import schemathesis

VALID_KEY = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and VALID_KEY.match(key):
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
