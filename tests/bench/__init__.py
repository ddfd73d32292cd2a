"""Tests of the benchmark tooling."""
