from enum import StrEnum


class Model(StrEnum):
    V4 = "V4"
    V4_5 = "V4_5"
    V4_5ALL = "V4_5ALL"
    V4_5PLUS = "V4_5PLUS"
    V5 = "V5"
    V5_5 = "V5_5"

    def __str__(self) -> str:
        return str(self.value)
