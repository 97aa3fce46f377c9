{{ config(materialized='table') }}

{{ kpi_wide_mart(level='client', period_grain='month') }}
