{{ config(materialized='table') }}

{{ kpi_wide_mart(level='agent', period_grain='month') }}
