"""The loop corpus: texts that loop (written, and the bundled model's own) and legitimate repetitive texts."""
