"""信息库: units, yearly school and county records, review workflow, evaluations."""
