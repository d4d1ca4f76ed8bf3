"""Output formats: the console summary and the official declaration tables."""
