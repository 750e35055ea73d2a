"""Held-out sessions written independently of the detectors, and their generator."""
