from enum import StrEnum


class Model(StrEnum):
    CHIRP_V3_5 = "chirp-v3-5"
    CHIRP_V4_0 = "chirp-v4-0"
    CHIRP_V4_5 = "chirp-v4-5"
    CHIRP_V4_5_PLUS = "chirp-v4-5-plus"
    CHIRP_V5 = "chirp-v5"
    CHIRP_V5_5 = "chirp-v5-5"

    def __str__(self) -> str:
        return str(self.value)
