"""Vietnamese text layer: normalization, tokenization, lexicon and negation-aware mention extraction. Pure functions."""
