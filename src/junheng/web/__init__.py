"""The web app: 信息库, review workflow, dashboards and JSON API (Django 5.2)."""
