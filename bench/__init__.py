"""OneMap benchmark: `python -m bench [--rows N] [--out FILE]` (see bench/README.md)."""
