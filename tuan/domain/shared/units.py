"""The counting words (量词) quantities are written with: `2份`, `两箱`, `一捆`.

Its own module so that both the quantity reader and the item-name index (which the quantity
reader imports) take them from one place.
"""

from __future__ import annotations

UNITS: tuple[str, ...] = (
    "公斤", "份", "个", "瓶", "箱", "斤", "袋", "盒", "包", "套", "件", "只", "桶", "罐",
    "支", "条", "提", "组", "听", "板", "串", "颗", "枚", "把", "捆", "杯", "单", "束",
    "棵", "根", "双", "片", "块", "碗", "壶", "盆", "扎", "粒", "筐", "位",
)  # fmt: skip

# The units as one regex alternative, the longest first (`公斤` before `斤`).
UNIT_PATTERN = "|".join(sorted(UNITS, key=len, reverse=True))
