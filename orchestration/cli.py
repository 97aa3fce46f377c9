"""``cxw``: generate sample exports, run the nightly job in-process, run the demo."""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import os
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import NoReturn

from orchestration.settings import DBT_PROJECT_DIR, Settings, SettingsError, load_settings

DEFAULT_START = dt.date(2026, 1, 1)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return int(text)


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 0.5:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 0.5, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cxw", description="CX Warehouse: contact-center exports -> DuckDB KPI warehouse."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="write realistic sample exports")
    generate.add_argument(
        "--out", type=Path, help="landing dir to write (default: CXW_LANDING_DIR)"
    )
    generate.add_argument("--start", type=_date, default=DEFAULT_START, help="first export day")
    generate.add_argument("--days", type=_positive, default=90, help="number of export days")
    generate.add_argument("--agents", type=_positive, default=60, help="number of agents")
    generate.add_argument("--seed", type=int, default=42, help="random seed (deterministic)")
    generate.add_argument("--clients", type=_positive, default=3)
    generate.add_argument("--sites", type=_positive, default=3)
    generate.add_argument("--clean", action="store_true", help="write no bad input")
    generate.add_argument("--bad-share", type=_share, default=0.005, help="share of bad rows")
    generate.add_argument(
        "--platforms",
        choices=("mixed", "canonical"),
        default="mixed",
        help="mixed: clients on Amazon Connect, Genesys Cloud, Zendesk and Qualtrics beside "
        "canonical ones (default); canonical: every client in the canonical sources",
    )

    run = commands.add_parser("run", help="run the nightly job now, in this process")
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="delete the build database and rebuild it from the whole landing zone",
    )

    withdraw = commands.add_parser(
        "withdraw",
        help="take landing files out: their rows leave raw now, the facts and KPIs at the next run",
    )
    withdraw.add_argument(
        "paths", nargs="+", metavar="PATH", help="a file relative to the landing zone"
    )

    commands.add_parser("demo", help="sample exports (if none) -> warehouse -> KPI summary")
    return parser


def _generate(args: argparse.Namespace, landing_dir: Path) -> int:
    from orchestration.sample_exports import generate_sample_exports

    out = (args.out or landing_dir).resolve()
    try:
        summary = generate_sample_exports(
            out,
            start=args.start,
            days=args.days,
            agents=args.agents,
            seed=args.seed,
            clients=args.clients,
            sites=args.sites,
            clean=args.clean,
            bad_share=args.bad_share,
            platforms=args.platforms,
        )
    except (FileExistsError, ValueError) as exc:
        print(f"cxw generate: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(summary.files)} files to {out} ({args.platforms} platforms)")
    files = Counter(path.relative_to(out).parts[0] for path in summary.files)
    for source, rows in sorted(summary.rows_by_source.items()):
        if files[source]:
            print(f"  {source:<28} {files[source]:>5,} files {rows:>10,} rows")
    if summary.bad_rows_by_reason:
        bad = ", ".join(f"{k} {v}" for k, v in sorted(summary.bad_rows_by_reason.items()))
        print(f"  bad input on purpose: {bad}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"cxw: configuration error: {exc}", file=sys.stderr)
        return 2
    if args.command == "generate":
        return _generate(args, settings.landing_dir)
    if args.command == "withdraw":
        from orchestration.nightly import withdraw_landing_files

        return withdraw_landing_files(settings, args.paths)

    if args.command in ("run", "demo") and (
        missing := missing_for_engine(settings.engine, settings.spark_dbt)
    ):
        print(
            f"cxw: configuration error: CXW_ENGINE={settings.engine} needs {missing}",
            file=sys.stderr,
        )
        return 2
    if args.command == "run" and not args.full_refresh:
        from orchestration.nothing_new import finish_if_nothing_new

        # Decided before Dagster, dbt and GX are imported (about 13 s): a run with nothing
        # new to load, build or publish ends here, with the job's verdict.
        code = finish_if_nothing_new(settings)
        if code is not None:
            return code
    from orchestration.standby_dbt import standby_dbt

    # dbt starts in its own process now, on the other core, and waits for the run's dbt
    # command (orchestration/standby_dbt.py). Great Expectations loads later, during the
    # dbt build (orchestration/assets/transform.py): imported now, it would hold this
    # process's one interpreter lock while Dagster loads.
    with standby_dbt(enabled=settings.engine == "duckdb", parse_ahead=_dbt_parse(settings)):
        from orchestration.nightly import run_nightly

        if args.command == "demo":
            return _demo(settings)
        return run_nightly(settings, full_refresh=args.full_refresh)


def _dbt_parse(settings: Settings) -> dict:
    """The parse the run's dbt build makes (its target and vars: dbt_build_args in
    orchestration/assets/transform.py; its folder and dbt's environment as dagster-dbt sets
    them), which the standby makes ahead; a build whose inputs differ parses as usual."""
    project = str(DBT_PROJECT_DIR)
    return {
        "argv": [
            "parse",
            "--target",
            settings.dbt_target(),
            "--vars",
            settings.dbt_vars_json(),
        ],
        "env": {
            **settings.dbt_env(),
            "DBT_TARGET_PATH": str(settings.dbt_target_dir),
            "DBT_PROFILES_DIR": project,
            "DBT_PROJECT_DIR": project,
        },
        "cwd": project,
    }


def missing_for_engine(engine: str, spark_dbt: Path) -> str | None:
    """What the engine needs that this machine lacks, in words; None when nothing."""
    if engine != "spark":
        return None
    if not spark_dbt.exists():
        return f"the Spark engine's environment ({spark_dbt}): `make spark`"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java 17: `make java` (Debian's openjdk-17-jre-headless)"
    return None


def _demo(settings: Settings) -> int:
    """Sample exports if the landing zone is empty, the nightly job (which writes the KPI
    report when it publishes), the scorecard; the report of a night with nothing new too."""
    from orchestration.nightly import refresh_report, run_night
    from orchestration.report import terminal_scorecard

    landing = settings.landing_dir
    if not landing.exists() or not any(landing.iterdir()):
        _generate(_parser().parse_args(["generate"]), landing)
    else:
        print(f"using the exports already in {landing}")
    night = run_night(settings)
    if night.exit_code != 0:
        return night.exit_code
    print()
    print(terminal_scorecard(settings.warehouse_path, min_anonymity_n=settings.min_anonymity_n))
    print(f"\npublished warehouse: {settings.warehouse_path}")
    if night.report is not None:
        print(night.report.describe())
    elif not night.published:  # nothing new: the night wrote no report
        refresh_report(settings)
    return 0


def entry() -> NoReturn:
    """The ``cxw`` command: :func:`main`, then the process ends without the interpreter's
    final garbage collection of everything Dagster, dbt's manifest and Great Expectations
    left in memory (about 2 s after a run). Everything that matters is done by then: every
    database is closed by its context manager, and the exit handlers (log handlers,
    temporary folders) run and the output is flushed before the process ends."""
    code = main()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    entry()
