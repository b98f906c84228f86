import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
# The web's statements stop after 25 s, before gunicorn abandons the request at 30 s; a
# worker's after 10 minutes, commands' never, unless given (core/statement_limit.py).
os.environ.setdefault("DATABASE_STATEMENT_SECONDS", "25")
application = get_wsgi_application()
