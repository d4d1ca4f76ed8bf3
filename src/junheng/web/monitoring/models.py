"""Monitoring keeps no rows of its own: warnings are computed from the evaluations stored in
the information base, so they always follow the latest data."""
