"""Findings of `segue diff` and the collector that keeps each one once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from segue.diff.rules import RULES, Level


@dataclass(frozen=True)
class Finding:
    """One change: which rule, how bad in which direction, where (OLD and NEW pointers), and why.

    `subject` is the operation (`extendMusic`), callback (`extendMusic callback audioExtend`),
    webhook (`webhook extendMusicCallback`) or document part (`servers`) the change reaches.
    A pointer is `None` when the changed node exists on the other side only and no enclosing
    node could stand in (the node's parent is used where there is one).
    """

    rule: str
    level: Level
    direction: str
    subject: str
    old_pointer: str | None
    new_pointer: str | None
    message: str
    spec: str = ""

    @property
    def documentation(self) -> bool:
        return RULES[self.rule].documentation

    def as_json(self) -> dict[str, Any]:
        return {
            "spec": self.spec,
            "rule": self.rule,
            "level": str(self.level),
            "direction": self.direction,
            "subject": self.subject,
            "old": self.old_pointer,
            "new": self.new_pointer,
            "message": self.message,
            "documentation": self.documentation,
        }

    def sort_key(self) -> tuple[Any, ...]:
        """Breaking first, then by subject (operations together), direction and pointer."""
        return (
            -self.level,
            self.spec,
            self.subject,
            self.direction,
            self.old_pointer or self.new_pointer or "",
            self.rule,
        )


@dataclass
class Collector:
    """Collects findings; a shared component reached twice by one subject and direction (e.g. a
    schema under several properties or responses) is reported once, by its pointers."""

    findings: list[Finding] = field(default_factory=list)
    _seen: set[tuple[str, str, str, str | None, str | None]] = field(default_factory=set)
    _sides: set[tuple[str, str, str, str, str]] = field(default_factory=set)

    def reported(
        self, rule: str, subject: str, direction: str, old: str | None, new: str | None
    ) -> bool:
        """Whether a finding of `rule` for this subject and direction already has `old` as its
        OLD pointer or `new` as its NEW pointer (None matches nothing)."""
        return (old is not None and (rule, subject, direction, "old", old) in self._sides) or (
            new is not None and (rule, subject, direction, "new", new) in self._sides
        )

    def add(
        self,
        rule: str,
        direction: str,
        subject: str,
        old_pointer: str | None,
        new_pointer: str | None,
        message: str,
    ) -> None:
        key = (rule, subject, direction, old_pointer, new_pointer)
        if key in self._seen:
            return
        self._seen.add(key)
        for side, pointer in (("old", old_pointer), ("new", new_pointer)):
            if pointer is not None:
                self._sides.add((rule, subject, direction, side, pointer))
        level = RULES[rule].level(direction)
        self.findings.append(
            Finding(rule, level, direction, subject, old_pointer, new_pointer, message)
        )
