"""``python -m junheng.web.manage`` — Django's manage.py for developers."""

import os
import sys

from django.core.management import execute_from_command_line

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "junheng.web.settings")
    execute_from_command_line(sys.argv)
