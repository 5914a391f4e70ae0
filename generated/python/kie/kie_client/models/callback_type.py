from enum import StrEnum


class CallbackType(StrEnum):
    COMPLETE = "complete"
    ERROR = "error"
    FIRST = "first"
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
