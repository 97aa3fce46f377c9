"""The run's Great Expectations worker processes, as the Dagster resource ``validation``.

Three kinds of steps use it: the ingestion assets (a large load starts the extra workers
early), the dbt asset (it stops them when it starts, and starts them again when
``kpi_metrics`` is built) and the quality checks (they validate on them). It lives here, apart from all three, so that each can
take it as a typed parameter.
"""

import dagster as dg
from pydantic import PrivateAttr

from data_quality.workers import ValidationWorkers
from orchestration.settings import Settings


class ValidationWorkersResource(dg.ConfigurableResource):
    """The run's Great Expectations worker processes (``data_quality.workers``): the first
    starts with the run (or before, by ``cxw run``), so GX is imported while the run
    ingests; the others start when a source has loaded more than one chunk's rows, and a
    large validation is spread over all ``processes`` of them. The extra ones stop while
    dbt runs (and start again when it has built ``kpi_metrics``); all stop when the run
    ends."""

    processes: int = 2
    _workers: ValidationWorkers | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:  # noqa: ARG002
        self._workers = ValidationWorkers.started(self.processes)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:  # noqa: ARG002
        if self._workers is not None:
            self._workers.close()

    @property
    def workers(self) -> ValidationWorkers:
        if self._workers is None:
            raise RuntimeError("the validation workers start with a run (resource not set up)")
        return self._workers


def build_validation_resource(settings: Settings) -> ValidationWorkersResource:
    return ValidationWorkersResource(processes=settings.validation_processes)
