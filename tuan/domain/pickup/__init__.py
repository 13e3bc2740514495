"""Pickup (自提): the checklist of who collects what, the sorting list, tick-off and the printable
exports.

Other areas may import the modules named in `__all__`; the rest are this area's own
(tests/app/test_layers.py holds every area to this).
"""

__all__ = ["checklist"]
