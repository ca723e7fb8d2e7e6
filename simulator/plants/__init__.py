"""Planted red-flag cases, one module per indicator family, next to near-misses that must not fire."""
