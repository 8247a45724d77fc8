"""``python -m jupyterlab_atrium.grading worker``: a grading worker for hub-service mode.

It takes submissions from the service's database (the same ``--database-url`` /
``c.AtriumService.database_url`` as the service; the password in ATRIUM_DATABASE_PASSWORD or
~/.pgpass, never on the command line), grades each in a fresh bubblewrap sandbox and records
the grade. Run as many as needed, on as many machines or pods: they never take the same job,
and a job whose worker dies is taken again once its lease passes (docs/grading.md). Stops
cleanly on SIGTERM or Ctrl-C, after the job in hand.
"""

from __future__ import annotations

import signal
import socket
import threading
from typing import Any

from traitlets import Unicode
from traitlets.config import Application

from .. import __version__
from ..service.config import AtriumService
from ..service.db import Database
from ..service.grading.assignments import AssignmentStore
from ..service.grading.config import AtriumGrader
from ..service.grading.queue import GradingQueue
from ..service.grading.submissions import JOB_KIND, SubmissionStore
from .official import SubmissionGrader
from .worker import Worker


class GradingWorkerApp(Application):
    name = "atrium-grading-worker"
    version = __version__
    description = __doc__
    classes = [AtriumService, AtriumGrader]
    aliases = {
        "database-url": "AtriumService.database_url",
        "config": "GradingWorkerApp.config_file",
        "name": "GradingWorkerApp.worker_name",
        "log-level": "Application.log_level",
    }

    config_file = Unicode("", config=True, help="A Python config file to load.")
    worker_name = Unicode(
        config=True, help="This worker's name in the audit log (default: host and process)."
    )

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        if self.config_file:
            self.load_config_file(self.config_file)

    def start(self) -> None:
        if self.extra_args[:1] != ["worker"]:
            self.exit("usage: python -m jupyterlab_atrium.grading worker [--database-url=…]")
        service = AtriumService(parent=self)
        grader = AtriumGrader(parent=self)
        database = Database(service.database_url)
        database.migrate()
        queue = GradingQueue(database)
        submissions = SubmissionStore(database, AssignmentStore(database), grader, queue)
        name = self.worker_name or f"{socket.gethostname()}:{threading.get_native_id()}"
        handler = SubmissionGrader(submissions, grader, name)
        worker = Worker(queue, {JOB_KIND: handler}, name=name)

        def stop(*_: Any) -> None:
            worker.stop.set()
            worker.wake()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.log.info("Atrium grading worker %s on %s", name, database.describe())
        try:
            worker.run()
        finally:
            handler.close()
            database.close()


def main(argv: list[str] | None = None) -> None:
    GradingWorkerApp.launch_instance(argv)


if __name__ == "__main__":
    main()
