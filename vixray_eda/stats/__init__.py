"""Statistics: DataFrames in, tidy DataFrames or small dataclasses out. No file I/O, no plotting."""
