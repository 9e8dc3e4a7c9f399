"""Tunable numbers that are not deployment paths: risk weights and decision-aid rules (risk_weights.toml)."""
