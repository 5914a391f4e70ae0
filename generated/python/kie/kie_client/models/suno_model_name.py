from enum import StrEnum


class SunoModelName(StrEnum):
    CHIRP_AUK = "chirp-auk"
    CHIRP_BLUEJAY = "chirp-bluejay"
    CHIRP_CROW = "chirp-crow"
    CHIRP_FENIX = "chirp-fenix"
    CHIRP_V3_5 = "chirp-v3-5"
    CHIRP_V4 = "chirp-v4"
    CHIRP_V4_5 = "chirp-v4-5"

    def __str__(self) -> str:
        return str(self.value)
