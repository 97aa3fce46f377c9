"""The report's "Where the data comes from" section: what each landing source delivered,
grouped by platform, and why vendor records were skipped or rejected, in plain words.

It reads ``ReportData.landing`` (``quality.quality_ingested_files`` and
``quality.quality_vendor_records`` of the published warehouse); a warehouse published
before those tables existed shows a note instead.
"""

from __future__ import annotations

from html import escape

from orchestration.landing.contract import MAPPING_SOURCES, SOURCES
from orchestration.report.data import Landing, ReportData, SourceDelivery

CANONICAL = "Canonical exports"
MAPPING = "Mapping sources"
# a vendor source's name starts with its platform's prefix (docs/landing_zone.md)
VENDOR_PLATFORMS = (
    ("amazon_connect_", "Amazon Connect"),
    ("genesys_", "Genesys Cloud"),
    ("zendesk_", "Zendesk"),
    ("qualtrics_", "Qualtrics"),
)
PLATFORM_ORDER = (CANONICAL, *(name for _, name in VENDOR_PLATFORMS), MAPPING)
HEADERS = ("Source", "Files", "Records read", "Loaded", "Skipped", "Rejected")

# what one record of a vendor source is, (one, many)
RECORD_NOUNS: dict[str, tuple[str, str]] = {
    "amazon_connect_contacts": ("contact", "contacts"),
    "genesys_conversations": ("conversation", "conversations"),
    "zendesk_tickets": ("ticket", "tickets"),
    "zendesk_ticket_metrics": ("ticket metric", "ticket metrics"),
    "zendesk_satisfaction_ratings": ("satisfaction rating", "satisfaction ratings"),
    "qualtrics_responses": ("survey response", "survey responses"),
}
# a mapping reason (staging's mapping_reason) in words, (one, many); {r} is the record noun
REASON_WORDS: dict[str, tuple[str, str]] = {
    "monitor_leg": ("supervisor monitoring leg", "supervisor monitoring legs"),
    "not_queued": ("{r} that never reached a queue", "{r} that never reached a queue"),
    "unmapped_queue": ("{r} in an unmapped queue", "{r} in unmapped queues"),
    "missing_timestamp": ("{r} without a start or end time", "{r} without a start or end time"),
    "bad_timestamp": ("{r} with an unreadable time", "{r} with unreadable times"),
    "deleted_ticket": ("deleted ticket", "deleted tickets"),
    "voice_ticket": ("voice ticket", "voice tickets"),
    "unsupported_channel": ("{r} on an unsupported channel", "{r} on unsupported channels"),
    "unoffered_rating": ("rating never offered", "ratings never offered"),
    "survey_preview": ("survey preview", "survey previews"),
    "test_response": ("test response", "test responses"),
    "spam_response": ("spam response", "spam responses"),
    "unknown_status": ("{r} with an unknown status", "{r} with an unknown status"),
    "unfinished_response": ("unfinished response", "unfinished responses"),
    "no_mapped_answer": ("{r} answering no mapped question", "{r} answering no mapped question"),
}
# reasons named after a channel or media type: chat_contact, email_conversation, ...
CHANNEL_SUFFIXES = ("_contact", "_conversation")


def platform_of(source: str) -> str:
    if source in MAPPING_SOURCES:
        return MAPPING
    for prefix, platform in VENDOR_PLATFORMS:
        if source.startswith(prefix):
            return platform
    return CANONICAL


def _source_rank(source: str) -> tuple[int, str]:
    """The contract's order of sources (clients, sites, ..., calls, tickets); others last."""
    names = list(SOURCES)
    return (names.index(source), "") if source in names else (len(names), source)


def _count(n: int) -> str:
    return f"{n:,}"


def _noun(source: str, n: int) -> str:
    one, many = RECORD_NOUNS.get(source, ("record", "records"))
    return one if n == 1 else many


def reason_in_words(source: str, outcome: str, reason: str, records: int) -> str:
    """'90 chat contacts skipped', '13 contacts in unmapped queues rejected'."""
    noun = _noun(source, records)
    channel = next((reason.removesuffix(s) for s in CHANNEL_SUFFIXES if reason.endswith(s)), None)
    if reason in REASON_WORDS:
        one, many = REASON_WORDS[reason]
        words = (one if records == 1 else many).format(r=noun)
    elif channel is not None:
        words = f"{channel.replace('_', ' ')} {noun}"
    else:
        words = f"{noun} ({reason.replace('_', ' ')})"
    return f"{_count(records)} {words} {outcome}"


def unknown_agents_in_words(source: str, records: int) -> str:
    """'1,530 contacts by agent logins without an agent_identities row'."""
    logins = "an agent login" if records == 1 else "agent logins"
    noun = _noun(source, records)
    return f"{_count(records)} {noun} by {logins} without an agent_identities row"


def _delivery_row(d: SourceDelivery) -> str:
    numbers = (d.files, d.rows_read, d.rows_loaded, d.rows_skipped, d.rows_rejected)
    cells = "".join(f'<td class="num">{_count(n)}</td>' for n in numbers)
    name = escape(d.source)
    return f'<tr data-source="{name}"><th scope="row">{name}</th>{cells}</tr>'


def _deliveries_table(landing: Landing) -> str:
    by_platform: dict[str, list[SourceDelivery]] = {}
    for d in sorted(landing.deliveries, key=lambda d: _source_rank(d.source)):
        by_platform.setdefault(platform_of(d.source), []).append(d)
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in HEADERS)
    groups = "".join(
        f'<tbody><tr class="platform"><th scope="rowgroup" colspan="{len(HEADERS)}">'
        f"{escape(platform)}</th></tr>"
        + "".join(_delivery_row(d) for d in by_platform[platform])
        + "</tbody>"
        for platform in PLATFORM_ORDER
        if platform in by_platform
    )
    return (
        "<table><caption>Landing files and records per source</caption>"
        f"<thead><tr>{head}</tr></thead>{groups}</table>"
    )


def _reasons(landing: Landing) -> str:
    """One line per vendor source with skipped or rejected records or unknown agents."""
    sources = sorted(
        {o.source for o in landing.outcomes} | set(landing.unknown_agent_records),
        key=_source_rank,
    )
    items = []
    for source in sources:
        words = [
            reason_in_words(o.source, o.outcome, o.reason, o.records)
            for o in landing.outcomes
            if o.source == source
        ]
        if unknown := landing.unknown_agent_records.get(source):
            words.append(unknown_agents_in_words(source, unknown))
        items.append(
            f'<li data-source="{escape(source)}"><strong>{escape(platform_of(source))}</strong> '
            f"<code>{escape(source)}</code>: {escape('; '.join(words))}</li>"
        )
    if not items:
        return "<p>No vendor record was skipped or rejected.</p>"
    return (
        "<p>Vendor records not loaded, and loaded records whose agent is unknown:</p>"
        f'<ul class="reasons">{"".join(items)}</ul>'
    )


def data_sources(data: ReportData) -> str:
    """The section: a table of every source that delivered files, then the reasons."""
    heading = '<section id="sources"><h2>Where the data comes from</h2>'
    landing = data.landing
    if landing is None:
        return (
            f"{heading}<p>Not available: this warehouse was published before it counted "
            "the records of each landing source.</p></section>"
        )
    if not landing.deliveries:
        return f"{heading}<p>No landing file has been ingested.</p></section>"
    return (
        f"{heading}<p>Every landing file ingested, all deliveries: records read = loaded + "
        "skipped on purpose + rejected.</p>"
        f'<div class="card scroll">{_deliveries_table(landing)}{_reasons(landing)}</div>'
        "</section>"
    )
