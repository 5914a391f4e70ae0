"""Contains all the data models used in inputs/outputs"""

from .callback_acknowledgement import CallbackAcknowledgement
from .callback_clip import CallbackClip
from .clip_index import ClipIndex
from .clip_status import ClipStatus
from .error_response import ErrorResponse
from .extend_song_request import ExtendSongRequest
from .feed_clip import FeedClip
from .feed_response import FeedResponse
from .feed_response_data import FeedResponseData
from .generate_song_request import GenerateSongRequest
from .model import Model
from .vocal_gender import VocalGender
from .work_created_response import WorkCreatedResponse
from .work_created_response_data import WorkCreatedResponseData
from .work_request_body import WorkRequestBody

__all__ = (
    "CallbackAcknowledgement",
    "CallbackClip",
    "ClipIndex",
    "ClipStatus",
    "ErrorResponse",
    "ExtendSongRequest",
    "FeedClip",
    "FeedResponse",
    "FeedResponseData",
    "GenerateSongRequest",
    "Model",
    "VocalGender",
    "WorkCreatedResponse",
    "WorkCreatedResponseData",
    "WorkRequestBody",
)
