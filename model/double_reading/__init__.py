"""Double reading: who sees which reads, two readers compared, and the adjudicated read."""
