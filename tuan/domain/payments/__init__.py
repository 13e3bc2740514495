"""Payments (付款): who has paid. Reading a WeChat Pay bill or an Alipay statement, matching its
incoming transfers, 群收款 and red packets to unpaid orders, recording them, the list of
payments and the polite 催款 message for orders still unpaid.

Other areas may import the modules named in `__all__`; the rest are this area's own
(tests/app/test_layers.py holds every area to this).
"""

__all__ = ["remind"]
