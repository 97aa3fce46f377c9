"""The steps of the nightly job, one module each: ingestion, transform, quality, publish.

Each imports the settings, the run ledger and the shared names, never another step;
``orchestration.definitions`` assembles them.
"""
