"""Deterministic, realistic sample exports for every landing source (``cxw generate``)."""

from orchestration.sample_exports.defects import REASONS
from orchestration.sample_exports.generator import GenerationSummary, generate_sample_exports

__all__ = ["REASONS", "GenerationSummary", "generate_sample_exports"]
