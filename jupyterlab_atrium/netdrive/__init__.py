"""Network drives: SMB shares connected from the browser, without root.

``config`` (policy traitlets), ``share`` (input validation), ``manager`` (connections and
passwords, server side), ``contents`` and ``handlers`` (REST API), ``smb`` (SMB 2/3 client),
``fs`` (the kernel-side ``netdrive://`` fsspec protocol), ``broker`` and ``fuse``.
Importing this package imports none of them.
"""
