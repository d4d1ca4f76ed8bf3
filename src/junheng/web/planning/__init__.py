"""达标测算 pages: the least-cost plan of a county, with what-if costs and budget."""
