from enum import StrEnum


class OperationType(StrEnum):
    EXTEND = "extend"
    GENERATE = "generate"
    UPLOAD_COVER = "upload_cover"
    UPLOAD_EXTEND = "upload_extend"

    def __str__(self) -> str:
        return str(self.value)
