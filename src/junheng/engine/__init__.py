"""The evaluation engine: Polars expressions over all counties at once."""
