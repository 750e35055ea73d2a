"""Hostile inputs and faults: copied histories, poison lines, fuzzed real lines, killed runs."""
