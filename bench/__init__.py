"""Benchmarks (scripts, not tests): `make bench` or `uv run python -m bench.benchmark`."""
