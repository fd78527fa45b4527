"""The web service WITHOUT request verification, for load and concurrency tests on loopback only.

``gunicorn 'hipcoach.tools.loadtest_app:wsgi_app_unverified()'`` serves the real skill (the same
``build_skill`` and persistence as production) with the signature and timestamp checks off, so a
test client can send unsigned envelopes. It refuses to start unless ``HIPCOACH_INSECURE_LOAD_TEST``
is ``1``; bind it to loopback (``--bind 127.0.0.1:PORT``). Never deploy it: production is
``hipcoach.hosting.web:wsgi_app()``, which always verifies.
"""

from __future__ import annotations

import logging
import os

from flask import Flask

from hipcoach.hosting import jsonlog

INSECURE_ENV = "HIPCOACH_INSECURE_LOAD_TEST"
log = logging.getLogger("hipcoach.loadtest")


class InsecureAppRefused(RuntimeError):
    """The unverified app was asked for without the explicit opt-in."""


def wsgi_app_unverified() -> Flask:
    """The skill with verification off: only when ``HIPCOACH_INSECURE_LOAD_TEST=1``."""
    if os.environ.get(INSECURE_ENV) != "1":
        raise InsecureAppRefused(
            f"request verification is off in this app; set {INSECURE_ENV}=1 to confirm this is "
            "a load test on loopback (production: hipcoach.hosting.web:wsgi_app())"
        )
    from hipcoach.app import build_skill, default_persistence
    from hipcoach.hosting.web import NO_VERIFY_WARNING, create_app

    jsonlog.configure()
    jsonlog.event(log, "unverified_app", logging.WARNING, warning=NO_VERIFY_WARNING)
    return create_app(build_skill(default_persistence(), None), verify=False, allow_any_skill=True)
