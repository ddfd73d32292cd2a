"""Benchmark tooling: a generator of large realistic data sets and the benchmark's parts."""
