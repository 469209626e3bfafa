"""Data layer: reading sources into the canonical frame, cleaning, and the synthetic sample. Only I/O of inputs."""
