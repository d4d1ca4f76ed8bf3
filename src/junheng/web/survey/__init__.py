"""社会认可度调查: a county's own survey, collected anonymously on phones or from paper."""
