"""The minimal example files of docs/landing_zone.md's "Vendor exports" section are real:
written into a landing zone as the docs name them, every record of each loads."""

import re
from pathlib import Path

import duckdb
import pytest

from orchestration.landing.contract import SOURCES
from orchestration.landing.loader import ingest_source
from orchestration.landing.raw_tables import reconcile

DOC = Path(__file__).resolve().parents[2] / "docs" / "landing_zone.md"


def _vendor_examples() -> dict[str, str]:
    """{landing path: content} of the code blocks whose first line names a landing file."""
    text = DOC.read_text()
    section = text[text.index("## Vendor exports") : text.index("## Corrections and re-deliveries")]
    examples = {}
    for block in re.findall(r"```\n(.*?)```", section, flags=re.S):
        path, _, content = block.partition("\n")
        if path.split("/")[0] in SOURCES:
            examples[path] = content
    return examples


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    zone = tmp_path_factory.mktemp("landing")
    for path, content in _vendor_examples().items():
        (zone / path).parent.mkdir(parents=True, exist_ok=True)
        (zone / path).write_text(content)
    return zone


def test_every_vendor_and_mapping_folder_has_an_example():
    folders = {path.split("/")[0] for path in _vendor_examples()}
    vendors = {name for name, spec in SOURCES.items() if spec.is_vendor}
    assert folders == vendors | {"queues", "agent_identities", "survey_questions"}


@pytest.mark.parametrize(
    ("source", "keys"),
    [
        ("queues", 4),
        ("agent_identities", 3),
        ("survey_questions", 2),
        ("amazon_connect_contacts", 2),
        ("genesys_conversations", 1),
        ("zendesk_tickets", 1),
        ("zendesk_ticket_metrics", 1),
        ("zendesk_satisfaction_ratings", 1),
        ("qualtrics_responses", 1),
    ],
)
def test_each_example_loads_whole(landing, source, keys):
    con = duckdb.connect()
    report = ingest_source(con, SOURCES[source], landing)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (keys, keys, 0)
    assert reconcile(con, source) == []
