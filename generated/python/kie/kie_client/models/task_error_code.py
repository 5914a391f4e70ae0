from enum import IntEnum


class TaskErrorCode(IntEnum):
    VALUE_400 = 400
    VALUE_408 = 408
    VALUE_413 = 413
    VALUE_500 = 500
    VALUE_501 = 501
    VALUE_531 = 531

    def __str__(self) -> str:
        return str(self.value)
