"""The creation process on top of the evaluation: rectification ledger, annual monitoring,
creation plans against provincial targets, and their Excel exports. No web imports."""
