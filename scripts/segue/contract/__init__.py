"""The contract suite's machinery: `segue contract` and the pytest plugin behind it.

The suite (contract_tests/suite/) checks a server — the in-process mock by default, or any
`--base-url` — against the specs, which stay the only oracle. This package holds what the test
modules share, one concern per module:

- `options`  — the command-line options and the profiles (how many examples).
- `oracle`   — what a spec says: validators, examples, documented answers, callback schemas.
- `rules`    — the documented rules derived from a spec (limits per model and mode, required
               fields, enums, ranges), never re-typed.
- `vendors`  — how each vendor wraps its answers (the envelope), read into one `Outcome`.
- `target`   — where requests go (ASGI app or base URL), with auth, 429 handling and a log.
- `budget`   — the credit cost table and the `--max-credits` guard.
- `receiver` — the one recording callback receiver on 127.0.0.1 (suite, `segue receive`, tests).
- `control`  — the mock's `/_segue/` control API, when the target offers it.
- `kit`      — per-vendor verbs for tests: create within the budget, poll, finish, fit a request
               to server state, finished source tasks to extend.
- `callbacks`— reading what a task sent to the receiver: collect, validate, order.
- `fuzz`     — Schemathesis glue: load, send, and the envelope-aware check.
- `params`   — test parameters per vendor and Hypothesis settings from the profile.
- `report`   — the Markdown summary (JUnit XML comes from pytest's `--junitxml`).
- `session`  — the shared state of a run (target, budget, control, receiver, kits).
- `plugin`   — the pytest plugin: options, fixtures, redaction, reports.
- `runner`   — `segue contract`.
"""
