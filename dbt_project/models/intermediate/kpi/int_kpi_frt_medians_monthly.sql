-- frt_median_minutes per month (macro kpi_frt_medians); one grain at a time, after the previous
{{ config(materialized='table') }}
-- depends_on: {{ ref('int_kpi_frt_medians_weekly') }}

{{ kpi_frt_medians('month') }}
