-- frt_median_minutes per week (macro kpi_frt_medians); one grain at a time, after the previous
{{ config(materialized='table') }}
-- depends_on: {{ ref('int_kpi_frt_medians_daily') }}

{{ kpi_frt_medians('week') }}
