"""The gunicorn settings the web service is deployed with (docs/deploying.md).

``gunicorn -c python:hipcoach.hosting.gunicorn_conf 'hipcoach.hosting.web:wsgi_app()'``; any
setting may still be overridden on the command line (``--bind``, ``--workers``...).

* ``worker_class``: :class:`hipcoach.hosting.buffered_worker.BufferingWorker`, which reads each
  request in full (5 s at most, 16 KB of head, 128 KB of body) before a thread takes it, so slow
  clients cost no thread;
* ``keepalive = 0``: a connection carries one request (nothing a client pipelines behind it can
  reach a thread unread); the proxy in front keeps its own connections to clients;
* ``timeout = 10``: a worker stuck longer than Alexa would wait is restarted;
* no control socket (gunicorn 27 otherwise creates ``~/.gunicorn/``).
"""

bind = "127.0.0.1:8000"
workers = 2
threads = 4
worker_class = "hipcoach.hosting.buffered_worker.BufferingWorker"
keepalive = 0
timeout = 10
graceful_timeout = 5
control_socket_disable = True
limit_request_line = 4094
limit_request_fields = 100
