{{ config(materialized='table') }}

{{ kpi_wide_mart(level='site', period_grain='week') }}
