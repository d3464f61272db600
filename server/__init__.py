"""The classroom server: a thin authoritative shell around the pure engine.

``server.master`` (sans-I/O core), ``server.app`` (WebSockets), ``server.store``
(SQLite), ``server.protocol`` (the wire format), ``server.cli`` (``crossroads serve``).
"""
