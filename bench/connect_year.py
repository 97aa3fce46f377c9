"""The benchmark year's calls as Amazon Connect contact records (the ``vendor`` scenario).

Every canonical call of the year becomes one Firehose contact record, written by DuckDB
from the calls files (Python would take longer to write them than the warehouse to read
them): one file per calls file under ``amazon_connect_contacts/YYYY/MM/DD/``, no
extension, one object per line, the nested objects of a real record (Agent, Queue,
CustomerEndpoint, SystemEndpoint, Attributes) plus fields the mapping ignores. About one contact in
twenty is delivered twice, as Connect does when after-contact work ends: first without
its ACW, then the full record with a later ``LastUpdateTimestamp``. Queues and agent
logins get their rows in ``queues/`` and ``agent_identities/``; every other source is
the year's own files (hard links).
"""

from __future__ import annotations

import os
import shutil
import zlib
from pathlib import Path

import duckdb

INSTANCE_ARN = (
    "arn:aws:connect:eu-west-1:123456789012:instance/5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
)
UPDATED_SHARE_MOD = 20  # one call in this many is delivered twice

_RECORD = """
    {
        'AWSAccountId': '123456789012',
        'AWSContactTraceRecordFormatVersion': '2017-03-10',
        'Agent': case when agent_id is not null then {
            'ARN': '__INSTANCE__/agent/' || lower(agent_id),
            'Username': lower(agent_id),
            'ConnectedToAgentTimestamp': strftime(answered_at, '%Y-%m-%dT%H:%M:%SZ'),
            'AgentInteractionDuration': talk_seconds,
            'CustomerHoldDuration': hold_seconds,
            'AfterContactWorkDuration': {acw},
            'HierarchyGroups': null,
            'RoutingProfile': {'Name': 'Basic Routing Profile'}
        } end,
        'Attributes': {'customer_id': customer_id, 'wrap_code': wrap_code},
        'Channel': 'VOICE',
        'ContactId': call_id,
        'CustomerEndpoint': {
            'Address': '+1555' || lpad((hash(customer_id) % 10000000)::varchar, 7, '0'),
            'Type': 'TELEPHONE_NUMBER'
        },
        'DisconnectTimestamp': strftime(ended_at, '%Y-%m-%dT%H:%M:%SZ'),
        'InitiationMethod': case direction when 'outbound' then 'OUTBOUND' else 'INBOUND' end,
        'InitiationTimestamp': strftime(offered_at, '%Y-%m-%dT%H:%M:%SZ'),
        'InstanceARN': '__INSTANCE__',
        'LastUpdateTimestamp': strftime({last_update}, '%Y-%m-%dT%H:%M:%SZ'),
        'Queue': {
            'ARN': '__INSTANCE__/queue/' || queue_name,
            'Name': queue_name,
            'EnqueueTimestamp': case when direction = 'inbound'
                then strftime(offered_at, '%Y-%m-%dT%H:%M:%SZ') end,
            'DequeueTimestamp': strftime(coalesce(answered_at, ended_at), '%Y-%m-%dT%H:%M:%SZ')
        },
        'SystemEndpoint': {'Address': '+18005550100', 'Type': 'TELEPHONE_NUMBER'}
    }
""".replace("__INSTANCE__", INSTANCE_ARN)


def _calls(day_file: Path) -> str:
    """The day's calls, typed; the rows the sample spoils on purpose (bad timestamps and
    numbers, negative durations, empty keys), which the canonical load rejects, are left
    out: both zones hold the same calls."""
    return f"""
        select * from (
            select
                nullif(trim(call_id), '') as call_id,
                nullif(trim(client_id), '') as client_id,
                lower(trim(direction)) as direction,
                nullif(trim(customer_id), '') as customer_id,
                nullif(trim(agent_id), '') as agent_id,
                nullif(trim(wrap_code), '') as wrap_code,
                nullif(trim(answered_at), '') as answered_text,
                nullif(trim(talk_seconds), '') as talk_text,
                nullif(trim(hold_seconds), '') as hold_text,
                nullif(trim(acw_seconds), '') as acw_text,
                client_id || '-' || coalesce(queue, lower(direction)) as queue_name,
                try_cast(offered_at as timestamp) as offered_at,
                try_cast(answered_at as timestamp) as answered_at,
                try_cast(ended_at as timestamp) as ended_at,
                try_cast(talk_seconds as double) as talk_seconds,
                try_cast(hold_seconds as double) as hold_seconds,
                try_cast(acw_seconds as double) as acw_seconds
            from read_csv('{day_file}', all_varchar = true)
        )
        where
            call_id is not null and client_id is not null and offered_at is not null
            and ended_at is not null and direction in ('inbound', 'outbound')
            and (answered_text is null or answered_at is not null)
            and coalesce(talk_seconds, 0) >= 0 and coalesce(hold_seconds, 0) >= 0
            and coalesce(acw_seconds, 0) >= 0
            and (talk_text is null or talk_seconds is not null)
            and (hold_text is null or hold_seconds is not null)
            and (acw_text is null or acw_seconds is not null)
    """


def write_connect_year(year: Path, out: Path) -> None:
    """``out``: the landing zone of ``year`` with its calls as Connect contact records."""
    marker = out / ".converted"
    generated = (
        (year / ".generated.json").read_text() if (year / ".generated.json").exists() else ""
    )
    if marker.exists() and marker.read_text() == generated:
        return
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    for source in sorted(p for p in year.iterdir() if p.is_dir() and p.name != "calls"):
        for path in sorted(source.rglob("*")):
            if path.is_file():
                target = out / path.relative_to(year)
                target.parent.mkdir(parents=True, exist_ok=True)
                if not target.exists():
                    os.link(path, target)
    con = duckdb.connect()
    final = _RECORD.replace("{acw}", "acw_seconds").replace(
        "{last_update}", "ended_at + to_seconds(coalesce(acw_seconds, 0)::bigint + 1)"
    )
    first = _RECORD.replace("{acw}", "null").replace("{last_update}", "ended_at")
    queues: set[tuple[str, str]] = set()
    agents: set[str] = set()
    contacts = out / "amazon_connect_contacts"
    for day_file in sorted((year / "calls").iterdir()):
        if day_file.name.startswith("."):
            continue
        day = day_file.name.split("_")[1][:10]
        folder = contacts / day[:4] / day[5:7] / day[8:10]
        folder.mkdir(parents=True, exist_ok=True)
        # one object per calls file: the latest day comes in 30-minute files, and its
        # correction file too carries the day (one name per day would keep only the last)
        crc = zlib.crc32(day_file.name.encode())
        target = folder / f"cxw-contacts-1-{day}-23-59-59-{crc:08x}"
        calls = _calls(day_file)
        con.execute(
            f"""
            copy (
                select unnest(record) from (
                    select call_id, 1 as delivery, {first} as record
                    from ({calls}) where hash(call_id) % {UPDATED_SHARE_MOD} = 0
                    union all
                    select call_id, 2 as delivery, {final} as record from ({calls})
                )
                order by delivery, call_id
            ) to '{target}' (format json)
            """
        ).fetchall()
        queues |= set(
            con.execute(f"select distinct queue_name, client_id from ({calls})").fetchall()
        )
        agents |= {
            a for (a,) in con.execute(f"select distinct agent_id from ({calls})").fetchall() if a
        }
    (out / "queues").mkdir(exist_ok=True)
    (out / "queues" / "connect_queues.csv").write_text(
        "system,queue_ref,client_id,site_id,queue_name\n"
        + "".join(f"amazon_connect,{q},{c},,{q}\n" for q, c in sorted(queues))
    )
    (out / "agent_identities").mkdir(exist_ok=True)
    (out / "agent_identities" / "connect_logins.csv").write_text(
        "system,external_id,agent_id\n"
        + "".join(f"amazon_connect,{a.lower()},{a}\n" for a in sorted(agents))
    )
    marker.write_text(generated)
