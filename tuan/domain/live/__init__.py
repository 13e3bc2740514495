"""Livestreams (直播): the run-of-show, flash sales, live mode's one-line orders and the
summary after.

Other areas may import the modules named in `__all__`; the rest are this area's own
(tests/app/test_layers.py holds every area to this).
"""

__all__ = ["shows", "summary"]
