"""Contains all the data models used in inputs/outputs"""

from .callback_acknowledgement import CallbackAcknowledgement
from .callback_clip import CallbackClip
from .callback_code import CallbackCode
from .callback_type import CallbackType
from .error_response import ErrorResponse
from .extend_music_request import ExtendMusicRequest
from .generate_music_request import GenerateMusicRequest
from .model import Model
from .music_callback import MusicCallback
from .music_callback_data import MusicCallbackData
from .music_task_details import MusicTaskDetails
from .operation_type import OperationType
from .response_code import ResponseCode
from .suno_clip import SunoClip
from .suno_model_name import SunoModelName
from .task_clips import TaskClips
from .task_created_response import TaskCreatedResponse
from .task_created_response_data import TaskCreatedResponseData
from .task_details_response import TaskDetailsResponse
from .task_error_code import TaskErrorCode
from .task_status import TaskStatus
from .upload_and_extend_audio_request import UploadAndExtendAudioRequest
from .upload_extend_callback import UploadExtendCallback
from .upload_extend_callback_clip import UploadExtendCallbackClip
from .upload_extend_callback_data import UploadExtendCallbackData
from .vocal_gender import VocalGender

__all__ = (
    "CallbackAcknowledgement",
    "CallbackClip",
    "CallbackCode",
    "CallbackType",
    "ErrorResponse",
    "ExtendMusicRequest",
    "GenerateMusicRequest",
    "Model",
    "MusicCallback",
    "MusicCallbackData",
    "MusicTaskDetails",
    "OperationType",
    "ResponseCode",
    "SunoClip",
    "SunoModelName",
    "TaskClips",
    "TaskCreatedResponse",
    "TaskCreatedResponseData",
    "TaskDetailsResponse",
    "TaskErrorCode",
    "TaskStatus",
    "UploadAndExtendAudioRequest",
    "UploadExtendCallback",
    "UploadExtendCallbackClip",
    "UploadExtendCallbackData",
    "VocalGender",
)
