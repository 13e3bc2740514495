"""Partners (合作点位) and their QR posters, and the members each poster brought.

Other areas may import the modules named in `__all__`; the rest are this area's own
(tests/app/test_layers.py holds every area to this).
"""

__all__ = []
