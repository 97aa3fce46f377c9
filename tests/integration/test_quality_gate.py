"""The gate: scale drift blocks the publish; invalid scores are kept out of every KPI, counted."""

import polars as pl

from data_quality.scales import invalid_score_reasons, score_scales

DRIFTED = "surveys/surveys_2026-03-12_csat_1_to_10.csv"


def _write_drifted_csat_export(landing, rows: int = 40, drifted: int = 12) -> None:
    """A survey tool that silently moved CSAT to 1..10: 12 of 40 answers above 5 (30%)."""
    scores = [str(6 + i % 5) for i in range(drifted)] + [
        str(1 + i % 5) for i in range(rows - drifted)
    ]
    lines = ["survey_id,survey_type,client_id,sent_at,responded_at,score"]
    lines += [
        f"SVDRIFT{i:04d},csat,C001,2026-03-12T10:00:00Z,2026-03-12T11:00:00Z,{score}"
        for i, score in enumerate(scores)
    ]
    (landing / DRIFTED).write_text("\n".join(lines) + "\n")


def test_scale_drift_blocks_the_publish_until_its_file_is_withdrawn(sample_copy):
    deployment, _ = sample_copy
    before = deployment.warehouse_path.read_bytes()
    parquet_before = sorted(
        p.name for p in (deployment.root / "warehouse_parquet").rglob("*.parquet")
    )
    _write_drifted_csat_export(deployment.landing_dir)

    result = deployment.cxw("run", check=False)

    assert result.returncode == 1
    verdict = result.stderr.strip().splitlines()[-1]
    assert verdict.startswith("cxw run: FAILED after ")
    assert "check expectations on raw/surveys failed" in verdict
    assert "scale_drift__csat: 12 unexpected (30.00%)" in verdict
    # the verdict names the file behind the failure and the way out
    assert verdict.endswith(
        f"files behind it: {DRIFTED} (12 unexpected); to take a file out of the warehouse: "
        f"cxw withdraw {DRIFTED} (then cxw run)"
    )
    assert deployment.warehouse_path.read_bytes() == before  # yesterday's warehouse, untouched
    # the quality page says why: the suite that blocked, its expectation and the count
    page = (deployment.root / "quality_docs" / "index.html").read_text()
    assert "raw_surveys__suite" in page
    assert "scale_drift__csat" in page
    assert "30.00%" in page
    assert (
        sorted(p.name for p in (deployment.root / "warehouse_parquet").rglob("*.parquet"))
        == parquet_before
    )
    # the drifted rows were ingested (nothing lost), just not published
    assert deployment.query("select count(*) from raw.surveys where survey_id like 'SVDRIFT%'") == [
        (40,)
    ]
    # the raw suites hold back the publish, not the build: dbt built the facts meanwhile
    assert deployment.query(
        "select count(*), count(*) filter (invalid_score_reason = 'off_scale') "
        "from marts.fct_survey_responses where survey_id like 'SVDRIFT%'"
    ) == [(40, 12)]

    # the next night brings nothing new: the drifted file is still unpublished, still checked
    again = deployment.cxw("run", check=False)
    assert again.returncode == 1
    assert "scale_drift__csat: 12 unexpected (30.00%)" in again.stderr.strip().splitlines()[-1]
    assert deployment.warehouse_path.read_bytes() == before

    # deleting the file would change nothing (zones are archived and pruned): withdraw it
    withdrawal = deployment.cxw("withdraw", DRIFTED)
    assert withdrawal.stdout.splitlines() == [
        f"withdrew {DRIFTED}: 40 rows removed from raw",
        "the next `cxw run` rebuilds the facts and KPIs without them",
    ]
    deployment.cxw("run")
    assert deployment.warehouse_path.read_bytes() != before, "published again"
    assert deployment.published(
        "select count(*) from marts.fct_survey_responses where survey_id like 'SVDRIFT%'"
    ) == [(0,)]
    assert deployment.query(
        "select status, rows_loaded from meta.ingest_manifest where file_path = ?", [DRIFTED]
    ) == [("withdrawn", 40)]
    # withdrawn stays withdrawn: the next night does not read the file again
    assert (
        deployment.cxw("run")
        .stdout.strip()
        .endswith("nothing new since the last publish; the published warehouse is unchanged")
    )


def test_invalid_scores_are_in_no_metric_and_counted(sample_build):
    deployment, _ = sample_build
    raw = pl.from_arrow(
        deployment.query_arrow(
            "select survey_id, survey_type, responded_at, score from raw.surveys "
            "qualify row_number() over (partition by survey_id order by _file_path desc, _file_row desc) = 1"
        )
    )
    answered = raw.filter(pl.col("responded_at").is_not_null()).to_pandas()
    reasons = invalid_score_reasons(answered["score"], answered["survey_type"], score_scales())
    answered["reason"] = reasons.to_numpy()
    invalid = answered[answered["reason"].notna()]
    assert len(invalid) > 0  # the sample carries off-scale and empty scores on purpose

    counted = dict(
        deployment.published(
            "select score_type || ':' || reason, sum(invalid_scores) from quality.quality_invalid_scores "
            "where source = 'surveys' group by 1"
        )
    )
    expected = invalid.groupby(["survey_type", "reason"]).size()
    assert counted == {f"{t}:{r}": n for (t, r), n in expected.items()}

    # the CSAT mean over everything equals the mean of the valid answers only
    valid_csat = answered[(answered["survey_type"] == "csat") & answered["reason"].isna()]
    labels = score_scales()["csat"].labels  # the CSAT labels of dbt_project.yml vars
    csat_values = valid_csat["score"].map(lambda s: labels.get(s.strip().lower()) or int(s))
    monthly = deployment.published(
        "select sum(numerator), sum(denominator) from marts.kpi_metrics "
        "where metric = 'csat_avg' and level = 'all' and period_grain = 'month'"
    )
    assert monthly == [(float(csat_values.sum()), float(len(csat_values)))]
