{{ kpi_rebuilt_from_floor('kpi_metrics', published_delta_key=['period_start']) }}
-- Rebuilt from a floor (macros/kpi/kpi_rebuild.sql): the periods of the kpi_metrics rows
-- written since its last build replace its own from the first of them on. The largest
-- wide mart (agents x days): the other wide marts are small enough to rebuild whole.

{{ kpi_wide_mart(level='agent', period_grain='day') }}
