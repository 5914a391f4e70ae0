"""segue: OpenAPI 3.1 specs of the KIE Suno and Udio extend APIs, and all derived from them."""

__version__ = "0.1.0"
