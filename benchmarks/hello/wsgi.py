"""`gunicorn -c deploy/gunicorn.conf.py benchmarks.hello.wsgi:application`"""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.hello.settings"
application = get_wsgi_application()
