import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings")
application = get_wsgi_application()

if os.environ.get("MASTHEAD_WARM_UP") == "1":
    # Set by `masthead serve`: load the comment screening model (a few seconds) as the worker
    # starts, not when the first reader posts after a restart.
    from masthead.moderation.screening import warm_up

    warm_up()
