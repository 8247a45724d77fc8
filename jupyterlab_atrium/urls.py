"""URL prefixes shared by the server extension, the service and the tests."""

API_PREFIX = "atrium/api"
# Everything under this prefix is the Atrium service's API: served in-process in embedded
# mode and forwarded to the hub service otherwise, so the browser never changes origin.
SERVICE_PREFIX = f"{API_PREFIX}/service"
API_VERSION = 1
