"""`segue diff`: what changed between two versions of a spec, breaking changes first, each judged
in its direction (callback payloads like responses, since the vendor sends them).

Modules: `sides` loads OLD and NEW (files or `REV:path` git revisions), `walk` pairs
operations, callbacks and webhooks and their slots with their direction, `schemas` compares
JSON Schemas (read as `views`), `extensions` the document-wide parts (servers, security
schemes, x-segue-…), `rules` is the rules table (ids, levels, meanings), `formats` prints
text, markdown, json, junit or GitHub annotations, `command` is the CLI.
"""

from __future__ import annotations

from typing import Any

from segue.diff.extensions import compare_document, report_renames
from segue.diff.findings import Collector, Finding
from segue.diff.walk import DocumentWalk

__all__ = ["Finding", "diff_documents"]


def diff_documents(old: dict[str, Any], new: dict[str, Any], spec: str = "") -> list[Finding]:
    """Every change from OLD to NEW, sorted: breaking first, then by subject and pointer."""
    collector = Collector()
    compare_document(old, new, collector)
    walk = DocumentWalk(old, new, collector)
    walk.run()
    report_renames(walk.schemas.renames, collector)
    findings = [
        Finding(f.rule, f.level, f.direction, f.subject, f.old_pointer, f.new_pointer,
                f.message, spec)
        for f in collector.findings
    ]  # fmt: skip
    return sorted(findings, key=Finding.sort_key)
