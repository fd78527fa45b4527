"""Request handlers, one module per area; each exposes `request_handlers()`."""
