"""Proven-optimal multi-week posterior-chain training blocks, planned with CP-SAT."""

__version__ = "0.1.0"
