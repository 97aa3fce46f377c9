"""The benchmark's results table (``results.md``, the README's performance section):
each figure beside its target."""

from __future__ import annotations

import subprocess

# scenario -> (what the target is about, its limit, the unit); the targets
TARGETS = {
    "full_build": ("wall_seconds", 180.0, "s"),
    "nightly_one_new_day": ("wall_seconds", 60.0, "s"),
    "nightly_no_new_files": ("wall_seconds", 10.0, "s"),
    "intraday": ("wall_seconds", 20.0, "s"),
}
PEAK_RSS_TARGET_MIB = 4096.0
FLOOR_RATIO_TARGET = 2.5
YEAR_TO_MONTH_TARGET = 12.0
CONNECT_RATIO_TARGET = 2.0


def commit() -> str:
    """The commit measured, marked when the work tree had uncommitted changes."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" (uncommitted changes)" if git("status", "--porcelain", "-uno") else "")


def _verdict(value: float | None, limit: float) -> str:
    if value is None:
        return "not measured"
    return "met" if value < limit else "**missed**"


def results_table(result: dict) -> list[str]:
    """The README's performance table: each figure beside its target."""
    summary, ratios, machine = result["median"], result["ratios"], result["machine"]
    lines = [
        f"Commit {result.get('commit', 'unknown')}, {machine['cpus']} CPUs, "
        f"{machine['memory_gib']} GiB; {result['sample']['days']} days of "
        f"{result['sample']['agents']} agents; medians of {max(s['runs'] for s in summary.values())}"
        " runs.",
        "",
        "| scenario | wall time | peak RSS | target | |",
        "|---|---:|---:|---|---|",
    ]
    for name, s in summary.items():
        target = TARGETS.get(name)
        wall, rss = s["wall_seconds"], s["peak_rss_mib"]
        if target is None:
            goal, verdict = "", ""
        else:
            goal, verdict = f"< {target[1]:.0f} {target[2]}", _verdict(wall, target[1])
        if name == "full_build":  # the peak's target holds for every run, not the median
            goal += f", every run's peak < {PEAK_RSS_TARGET_MIB / 1024:.0f} GiB"
            if verdict == "met":
                verdict = _verdict(s.get("max_peak_rss_mib", rss), PEAK_RSS_TARGET_MIB)
        lines.append(f"| {name} | {wall:.1f} s | {rss:,.0f} MiB | {goal} | {verdict} |")
    paired = ratios.get("full_build_to_floor_paired")
    year_to_month = ratios.get("year_to_month")
    lines += [
        f"| full build / floor, median of the pairs | {_ratio(paired, 'floor full')} | | "
        f"≤ {FLOOR_RATIO_TARGET}x | {_verdict(paired, FLOOR_RATIO_TARGET + 1e-9)} |",
        f"| year / month | {_ratio(year_to_month, 'full month')} | | ≤ {YEAR_TO_MONTH_TARGET:.0f}x "
        f"| {_verdict(year_to_month, YEAR_TO_MONTH_TARGET + 1e-9)} |",
    ]
    connect = ratios.get("connect_calls_to_canonical_paired")
    lines.append(
        "| calls as Amazon Connect records / as canonical CSV, median of the pairs | "
        f"{_ratio(connect, 'full vendor')} | | ≤ {CONNECT_RATIO_TARGET:.0f}x "
        f"| {_verdict(connect, CONNECT_RATIO_TARGET + 1e-9)} |"
    )
    return lines


def _ratio(value: float | None, scenarios: str) -> str:
    return f"{value}x" if value is not None else f"not measured (run --only {scenarios})"
