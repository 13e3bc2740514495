"""The dashboard and the figures the brand steers by (metrics, each defined once), the stored
snapshot that shows them at once, and the HTML report.

Other areas may import the modules named in `__all__`; the rest are this area's own
(tests/app/test_layers.py holds every area to this).
"""

__all__ = []
