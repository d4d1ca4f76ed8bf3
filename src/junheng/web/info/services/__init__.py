"""Business logic as plain functions; views and the API only call these."""
