"""Payments: importing a WeChat Pay bill or an Alipay statement (opened from the pickup area and
the command palette).

Other areas' screens may import the modules named in `__all__`; the rest are this area's own
(tests/app/test_layers.py holds every area to this).
"""

__all__ = ["import_"]
