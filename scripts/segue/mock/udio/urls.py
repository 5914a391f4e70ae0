"""Udio's routes: the handler serving each operation of `specs/udio.openapi.yaml`, by operationId.

The paths and methods are the spec's (`VendorResponses.routes` reads them); an operation the
spec gains without a handler here is answered with its documented server error.
"""

from segue.mock.responses import Handler
from segue.mock.udio.responses import UdioRenderer, UdioResponses

RESPONSES = UdioResponses
RENDERER = UdioRenderer
url_paths: dict[str, Handler] = {
    "generateSong": UdioResponses.generate_song,
    "extendSong": UdioResponses.extend_song,
    "getFeed": UdioResponses.get_feed,
}
