"""The gallery: publishing notebooks without their outputs, and the service's check of them.

``strip`` holds the strip contract (what a published notebook keeps and loses), the check the
service runs on every notebook it receives, and the parser that turns an upload into a
notebook or a clear refusal. The rule data is shared with the browser: ``strip-rules.json``
and ``secret-patterns.json`` in this folder are imported by ``src/gallery/`` as they are.
"""
