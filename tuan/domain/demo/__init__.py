"""The demo database: the 绿源生活 story as a year of data.

Other areas may import the modules named in `__all__`; the rest are this area's own
(tests/app/test_layers.py holds every area to this).
"""

__all__ = []
