{{ config(materialized='table') }}

{{ kpi_wide_mart(level='team', period_grain='month') }}
