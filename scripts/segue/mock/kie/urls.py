"""KIE's routes: the handler serving each operation of `specs/kie.openapi.yaml`, by operationId.

The paths and methods are the spec's (`VendorResponses.routes` reads them); an operation the
spec gains without a handler here is answered with its documented server error.
"""

from segue.mock.kie.responses import KieRenderer, KieResponses
from segue.mock.responses import Handler

RESPONSES = KieResponses
RENDERER = KieRenderer
url_paths: dict[str, Handler] = {
    "generateMusic": KieResponses.generate_music,
    "extendMusic": KieResponses.extend_music,
    "uploadAndExtendAudio": KieResponses.upload_and_extend_audio,
    "getMusicTaskDetails": KieResponses.get_music_task_details,
}
