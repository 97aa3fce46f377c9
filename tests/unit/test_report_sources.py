"""The report's "Where the data comes from" section, on the hand-made published warehouse
of test_report.py: its quality tables hold two calls files, one Amazon Connect file (read
10, loaded 7, skipped 2, rejected 1) and one queues file.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from orchestration.report import write_report
from orchestration.report.sources import reason_in_words, unknown_agents_in_words
from tests.unit.test_report import _section, build_published_warehouse


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_published_warehouse(tmp_path_factory.mktemp("sources") / "warehouse.duckdb")


def _source_row(sources: str, source: str) -> list[str]:
    row = re.search(rf'<tr data-source="{source}">.*?</tr>', sources)
    assert row, f"no row of {source}"
    return re.findall(r'<td class="num">(.*?)</td>', row.group(0))


def test_data_sources_per_platform_with_reasons(warehouse: Path, tmp_path: Path) -> None:
    html = write_report(warehouse, tmp_path / "r.html", min_anonymity_n=5).path.read_text()
    sources = _section(html, "sources")

    assert "<h2>Where the data comes from</h2>" in sources
    # files, records read, loaded, skipped, rejected
    assert _source_row(sources, "amazon_connect_contacts") == ["1", "10", "7", "2", "1"]
    assert _source_row(sources, "calls") == ["2", "200", "198", "0", "2"]
    assert _source_row(sources, "queues") == ["1", "4", "4", "0", "0"]
    # only sources that delivered files, grouped by platform in the platform order
    platforms = re.findall(r'<th scope="rowgroup"[^>]*>(.*?)</th>', sources)
    assert platforms == ["Canonical exports", "Amazon Connect", "Mapping sources"]
    assert "zendesk_tickets" not in sources and "Genesys Cloud" not in sources
    connect = re.search(r'<li data-source="amazon_connect_contacts">.*?</li>', sources)
    assert connect
    assert connect.group(0).endswith(
        ": 2 chat contacts skipped; 1 contact in an unmapped queue rejected; "
        "3 contacts by agent logins without an agent_identities row</li>"
    )
    assert html.index('id="sources"') < html.index("<footer>")
    assert '<a href="#sources">Data sources</a>' in html


def test_vendor_reasons_in_plain_words() -> None:
    connect = "amazon_connect_contacts"
    assert reason_in_words(connect, "skipped", "chat_contact", 90) == "90 chat contacts skipped"
    assert (
        reason_in_words(connect, "rejected", "unmapped_queue", 13)
        == "13 contacts in unmapped queues rejected"
    )
    assert (
        unknown_agents_in_words(connect, 1530)
        == "1,530 contacts by agent logins without an agent_identities row"
    )
    genesys = "genesys_conversations"
    assert reason_in_words(genesys, "skipped", "email_conversation", 1) == (
        "1 email conversation skipped"
    )
    assert reason_in_words("zendesk_tickets", "skipped", "voice_ticket", 4) == (
        "4 voice tickets skipped"
    )
    assert reason_in_words("qualtrics_responses", "skipped", "survey_preview", 1) == (
        "1 survey preview skipped"
    )
    # a reason the report does not know yet is still shown, with its name
    assert reason_in_words(genesys, "rejected", "new_reason", 2_000) == (
        "2,000 conversations (new reason) rejected"
    )


@pytest.mark.parametrize(
    "change",
    [
        "drop table quality.quality_ingested_files",
        "alter table quality.quality_ingested_files drop column rows_skipped",
    ],
    ids=["no table", "no rows_skipped column"],
)
def test_data_sources_of_an_older_warehouse_are_not_available(
    warehouse: Path, tmp_path: Path, change: str
) -> None:
    """A warehouse published before the ingested files counted skipped rows still renders."""
    copy = tmp_path / "older.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute(change).fetchall()

    summary = write_report(copy, tmp_path / "r.html", min_anonymity_n=5)
    sources = _section(summary.path.read_text(), "sources")
    assert "<p>Not available: this warehouse was published before it counted" in sources
    assert "<table>" not in sources
    assert summary.charts == 15
