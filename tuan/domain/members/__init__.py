"""Members (团员): the list and each member's page, tags, points, referrals, reminders and the
rules that make them.

Other areas may import the modules named in `__all__`; the rest are this area's own
(tests/app/test_layers.py holds every area to this).
"""

__all__ = ["coupons", "listing", "rules"]
