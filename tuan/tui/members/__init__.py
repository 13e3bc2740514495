"""The members area: the list, a member's page, the reminder inbox and the rules.

Other areas' screens may import the modules named in `__all__`; the rest are this area's own
(tests/app/test_layers.py holds every area to this).
"""

__all__ = ["reminder_inbox", "screen"]
