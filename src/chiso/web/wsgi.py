"""WSGI entry point: ``gunicorn chiso.web.wsgi`` (or any WSGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.web.settings")
application = get_wsgi_application()
