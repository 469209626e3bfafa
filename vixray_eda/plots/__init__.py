"""Figures: tidy results in, matplotlib Figure out. No statistics inside."""
