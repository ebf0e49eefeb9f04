#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "icp_portal.settings")
    # manage.py is the developer's entry point: on the embedded default (no DATABASE_URL, no
    # SECRET_KEY) it runs in debug mode. Anything configured like production (a DATABASE_URL
    # or a SECRET_KEY) keeps DEBUG off unless asked, and gunicorn never comes through here.
    if not any(os.environ.get(name) for name in ("DEBUG", "SECRET_KEY", "DATABASE_URL")):
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
