"""The raw export contract of ``docs/landing_zone.md``, as data.

One ``SourceSpec`` per landing source. The generator, the loader, the raw table DDL
and the data-quality suites all read this module, so a column is declared once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """How a raw text value is parsed and which DuckDB type holds it in ``raw``."""

    TEXT = "text"  # trimmed text, empty -> null
    TIMESTAMP = "timestamp"  # ISO 8601 -> UTC TIMESTAMP
    DATE = "date"  # YYYY-MM-DD -> DATE
    DURATION = "duration"  # seconds >= 0 -> DOUBLE
    ENUM = "enum"  # case-insensitive, trimmed -> lower-case VARCHAR
    TIMEZONE = "timezone"  # IANA name -> VARCHAR
    COUNTRY = "country"  # ISO 3166-1 alpha-2 -> upper-case VARCHAR
    SCORE = "score"  # survey score kept as text; validated against its scale in staging
    JSON = "json"  # a vendor record kept whole (nested objects included) -> JSON


DUCKDB_TYPE: dict[Kind, str] = {
    Kind.TEXT: "VARCHAR",
    Kind.TIMESTAMP: "TIMESTAMP",
    Kind.DATE: "DATE",
    Kind.DURATION: "DOUBLE",
    Kind.ENUM: "VARCHAR",
    Kind.TIMEZONE: "VARCHAR",
    Kind.COUNTRY: "VARCHAR",
    Kind.SCORE: "VARCHAR",
    Kind.JSON: "JSON",
}
# Whole vendor records compress with zstd to a sixth of DuckDB's default string storage,
# and are written about twice as fast; staging reads them at the same speed.
STORAGE_CLAUSE: dict[Kind, str] = {Kind.JSON: " USING COMPRESSION zstd"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    values: tuple[str, ...] = ()  # allowed values of an ENUM column

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPE[self.kind]


@dataclass(frozen=True)
class SourceSpec:
    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # a vendor export (docs/landing_zone.md, "Vendor exports"): how its files are read
    # (JSON_RECORDS or QUALTRICS_CSV, whatever their names), None for a canonical source
    vendor_format: str | None = None
    # JSON_RECORDS: the array of an API page whose elements are the records
    # ({"conversations": [...], "cursor": ...}); a file may also hold the records themselves
    page_key: str | None = None
    # JSON_RECORDS: JSON path of the record's key, e.g. $.ContactId
    key_path: str | None = None

    @property
    def is_vendor(self) -> bool:
        return self.vendor_format is not None

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


def _req(name: str, kind: Kind = Kind.TEXT, values: tuple[str, ...] = ()) -> Column:
    return Column(name, kind, True, values)


def _opt(name: str, kind: Kind = Kind.TEXT, values: tuple[str, ...] = ()) -> Column:
    return Column(name, kind, False, values)


# Columns added by the loader to every raw table (lineage of each row).
FILE_PATH_COLUMN = "_file_path"  # path of the landing file, relative to the landing dir
FILE_ROW_COLUMN = "_file_row"  # 1-based data row number within the file (header excluded)
LOADED_AT_COLUMN = "_loaded_at"  # UTC time the row was loaded
LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    (FILE_PATH_COLUMN, "VARCHAR"),
    (FILE_ROW_COLUMN, "BIGINT"),
    (LOADED_AT_COLUMN, "TIMESTAMP"),
)

SURVEY_TYPES = ("nps", "csat", "ces")
SYSTEMS = ("amazon_connect", "genesys", "zendesk", "qualtrics", "canonical")

# vendor file formats (the folder says which)
JSON_RECORDS = "json_records"  # JSON objects: lines, back to back, or API pages; gzip by content
QUALTRICS_CSV = "qualtrics_csv"  # CSV with three header rows, columns keyed by ImportId

RECORD_COLUMN = "record"  # a vendor record, whole, as JSON
INTERACTION_TYPES = ("call", "ticket")
CHANNELS = ("email", "chat", "web", "social", "messaging")

SOURCES: dict[str, SourceSpec] = {
    s.name: s
    for s in (
        SourceSpec(
            "clients",
            "The BPO's client accounts (brands it serves).",
            ("client_id",),
            (
                _req("client_id"),
                _req("client_name"),
                _req("reporting_timezone", Kind.TIMEZONE),
                _opt("industry"),
            ),
        ),
        SourceSpec(
            "sites",
            "Delivery centers.",
            ("site_id",),
            (
                _req("site_id"),
                _req("site_name"),
                _req("country_code", Kind.COUNTRY),
                _req("timezone", Kind.TIMEZONE),
                _req("sourcing", Kind.ENUM, ("in_house", "outsourced")),
                _req("location_type", Kind.ENUM, ("onshore", "nearshore", "offshore")),
            ),
        ),
        SourceSpec(
            "teams",
            "A team works one client's program at one site.",
            ("team_id",),
            (
                _req("team_id"),
                _req("team_name"),
                _req("site_id"),
                _req("client_id"),
                _opt("supervisor_name"),
            ),
        ),
        SourceSpec(
            "agent_roster",
            "Dated full snapshots of the workforce (HR / WFM export).",
            ("agent_id", "as_of_date"),
            (
                _req("as_of_date", Kind.DATE),
                _req("agent_id"),
                _req("team_id"),
                _req("hire_date", Kind.DATE),
                _opt("full_name"),
                _opt("email"),
                _opt("role", Kind.ENUM, ("agent", "csm", "team_lead")),
                _opt("termination_date", Kind.DATE),
            ),
        ),
        SourceSpec(
            "calls",
            "Call detail records from the ACD / telephony platform.",
            ("call_id",),
            (
                _req("call_id"),
                _req("client_id"),
                _req("direction", Kind.ENUM, ("inbound", "outbound")),
                _req("offered_at", Kind.TIMESTAMP),
                _req("ended_at", Kind.TIMESTAMP),
                _opt("queue"),
                _opt("customer_id"),
                _opt("agent_id"),
                _opt("answered_at", Kind.TIMESTAMP),
                _opt("talk_seconds", Kind.DURATION),
                _opt("hold_seconds", Kind.DURATION),
                _opt("acw_seconds", Kind.DURATION),
                _opt("wrap_code"),
            ),
        ),
        SourceSpec(
            "tickets",
            "Helpdesk conversations (email, chat, web form, social, messaging).",
            ("ticket_id",),
            (
                _req("ticket_id"),
                _req("client_id"),
                _req("channel", Kind.ENUM, CHANNELS),
                _req("created_at", Kind.TIMESTAMP),
                _opt("customer_id"),
                _opt("agent_id"),
                _opt("priority", Kind.ENUM, ("low", "normal", "high", "urgent")),
                _opt("status", Kind.ENUM, ("new", "open", "pending", "solved", "closed")),
                _opt("first_response_at", Kind.TIMESTAMP),
                _opt("solved_at", Kind.TIMESTAMP),
            ),
        ),
        SourceSpec(
            "surveys",
            "Customer survey invitations and responses (NPS, CSAT, CES).",
            ("survey_id",),
            (
                _req("survey_id"),
                _req("survey_type", Kind.ENUM, SURVEY_TYPES),
                _req("client_id"),
                _req("sent_at", Kind.TIMESTAMP),
                _opt("customer_id"),
                _opt("interaction_type", Kind.ENUM, INTERACTION_TYPES),
                _opt("interaction_id"),
                _opt("agent_id"),
                _opt("responded_at", Kind.TIMESTAMP),
                _opt("score", Kind.SCORE),
                _opt("comment"),
            ),
        ),
        SourceSpec(
            "customers",
            "The client's customers (CRM export; carries PII).",
            ("client_id", "customer_id"),
            (
                _req("customer_id"),
                _req("client_id"),
                _req("signup_date", Kind.DATE),
                _opt("churn_date", Kind.DATE),
                _opt("referred_by_customer_id"),
                _opt("acquisition_channel"),
                _opt("full_name"),
                _opt("email"),
                _opt("phone"),
            ),
        ),
        SourceSpec(
            "employee_surveys",
            "Agent engagement pulse surveys (HR; confidential).",
            ("response_id",),
            (
                _req("response_id"),
                _req("team_id"),
                _req("survey_date", Kind.DATE),
                _opt("agent_id"),
                _opt("esat_score", Kind.SCORE),
                _opt("enps_score", Kind.SCORE),
                _opt("comment"),
            ),
        ),
        SourceSpec(
            "queues",
            "Mapping source: a vendor's queue (or Zendesk group / brand, Qualtrics survey) "
            "to the client it serves and the site that staffs it.",
            ("system", "queue_ref"),
            (
                _req("system", Kind.ENUM, SYSTEMS),
                _req("queue_ref"),
                _req("client_id"),
                _opt("site_id"),
                _opt("queue_name"),
            ),
        ),
        SourceSpec(
            "agent_identities",
            "Mapping source: a vendor's login, user id or ARN to the roster's agent_id.",
            ("system", "external_id"),
            (
                _req("system", Kind.ENUM, SYSTEMS),
                _req("external_id"),
                _req("agent_id"),
            ),
        ),
        SourceSpec(
            "survey_questions",
            "Mapping source: which question of which vendor survey measures which KPI.",
            ("system", "survey_ref", "question_ref"),
            (
                _req("system", Kind.ENUM, SYSTEMS),
                _req("survey_ref"),
                _req("question_ref"),
                _req("survey_type", Kind.ENUM, SURVEY_TYPES),
            ),
        ),
        SourceSpec(
            "amazon_connect_contacts",
            "Amazon Connect contact records as Kinesis Data Firehose writes them, kept whole "
            "(every delivered version).",
            ("contact_id",),
            (_req("contact_id"), _req(RECORD_COLUMN, Kind.JSON)),
            vendor_format=JSON_RECORDS,
            key_path="$.ContactId",
        ),
        SourceSpec(
            "genesys_conversations",
            "Genesys Cloud conversation details (job result pages), one conversation per row, "
            "kept whole.",
            ("conversation_id",),
            (_req("conversation_id"), _req(RECORD_COLUMN, Kind.JSON)),
            vendor_format=JSON_RECORDS,
            page_key="conversations",
            key_path="$.conversationId",
        ),
        SourceSpec(
            "zendesk_tickets",
            "Zendesk Support ticket objects (incremental export or API pages), kept whole.",
            ("ticket_id",),
            (_req("ticket_id"), _req(RECORD_COLUMN, Kind.JSON)),
            vendor_format=JSON_RECORDS,
            page_key="tickets",
            key_path="$.id",
        ),
        SourceSpec(
            "zendesk_ticket_metrics",
            "Zendesk Support ticket metric objects (one per ticket), kept whole.",
            ("ticket_id",),
            (_req("ticket_id"), _req(RECORD_COLUMN, Kind.JSON)),
            vendor_format=JSON_RECORDS,
            page_key="ticket_metrics",
            key_path="$.ticket_id",
        ),
        SourceSpec(
            "zendesk_satisfaction_ratings",
            "Zendesk Support satisfaction rating objects, kept whole.",
            ("rating_id",),
            (_req("rating_id"), _req(RECORD_COLUMN, Kind.JSON)),
            vendor_format=JSON_RECORDS,
            page_key="satisfaction_ratings",
            key_path="$.id",
        ),
        SourceSpec(
            "qualtrics_responses",
            "Qualtrics survey response exports, one response per row as {ImportId: value}; "
            "survey_ref is the survey id of the file's folder.",
            ("survey_ref", "response_id"),
            (
                _req("survey_ref"),
                _req("response_id"),
                _req(RECORD_COLUMN, Kind.JSON),
                # {ImportId: IANA zone} of the columns whose third header row names a zone
                _opt("time_zones", Kind.JSON),
            ),
            vendor_format=QUALTRICS_CSV,
        ),
    )
}

# How vendor records map onto the canonical rows; a change re-maps every record.
MAPPING_SOURCES: tuple[str, ...] = ("queues", "agent_identities", "survey_questions")
VENDOR_SOURCES: tuple[str, ...] = tuple(name for name, s in SOURCES.items() if s.is_vendor)

# Columns that carry personal data and never reach the published warehouse.
PERSONAL_DATA_COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": ("full_name", "email", "phone"),
    "agent_roster": ("full_name", "email"),
    # vendor records carry phone numbers, names, e-mails, IP addresses and locations:
    # they stay in raw, whole; staging extracts only the fields the mapping needs
    **{name: (RECORD_COLUMN,) for name in VENDOR_SOURCES},
}
# The personal fields inside vendor records, as a column extracted from one would be named:
# the publish refuses a table with such a column, whatever model put it there.
VENDOR_PERSONAL_FIELDS: tuple[str, ...] = (
    "customer_endpoint",  # Amazon Connect: the caller's phone number
    "phone_number",
    "ani",  # Genesys: the caller's number
    "dnis",
    "participant_name",
    "requester_name",  # Zendesk requester
    "requester_email",
    "ip_address",  # Qualtrics
    "recipient_email",
    "recipient_first_name",
    "recipient_last_name",
    "location_latitude",
    "location_longitude",
)

RAW_SCHEMA = "raw"


def raw_table_ddl(spec: SourceSpec, schema: str = RAW_SCHEMA) -> str:
    """``CREATE TABLE IF NOT EXISTS`` for the raw table of a source: typed columns + lineage."""
    cols = [f'"{c.name}" {c.duckdb_type}{STORAGE_CLAUSE.get(c.kind, "")}' for c in spec.columns]
    cols += [f'"{name}" {dtype}' for name, dtype in LINEAGE_COLUMNS]
    return f"create table if not exists {schema}.{spec.name} (\n    " + ",\n    ".join(cols) + "\n)"
