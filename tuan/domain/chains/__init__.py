"""Chains (接龙): building a chain, its entries, the chain text exported to WeChat and the
filled chain pasted back and imported.

Other areas may import the modules named in `__all__`; the rest are this area's own
(tests/app/test_layers.py holds every area to this).
"""

__all__ = ["export", "listing"]
