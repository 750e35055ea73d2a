"""The live guard: the audits' detectors run inside the agent's hooks, one tool call at a time."""
