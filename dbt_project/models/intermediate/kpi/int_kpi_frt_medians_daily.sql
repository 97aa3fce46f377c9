-- frt_median_minutes per day (macro kpi_frt_medians); one grain at a time, after the previous
{{ config(materialized='table') }}

{{ kpi_frt_medians('day') }}
