"""tuan (团): a keyboard-first terminal cockpit for community group-buy leaders."""

__version__ = "0.1.0"
