from enum import StrEnum


class ClipStatus(StrEnum):
    COMPLETE = "complete"
    FIRST = "first"
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
