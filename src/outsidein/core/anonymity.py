"""Which groups to withhold so that no group smaller than the anonymity threshold shows.

One rule serves every table outsidein publishes by group (departments, roles, months,
segments, journey paths, response rates): a group with fewer members than the threshold is
hidden (primary suppression); and when the hidden groups together hold fewer than the
threshold, a shown total minus the shown groups would give them away, so the smallest shown
groups are hidden too until they do (secondary suppression; Hundepool et al. 2012,
*Statistical Disclosure Control*, ch. 4).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

G = TypeVar("G", bound=Hashable)


def hidden_groups(sizes: Mapping[G, int], threshold: int, *, unseen: int = 0) -> set[G]:
    """The groups of ``sizes`` (group → members) to withhold, with secondary suppression.

    ``unseen`` members are in the shown total but in no group (comments without a date in a
    table by month): when there are fewer than ``threshold`` of them, they are a hidden group
    too. Ties between equally small groups are broken by the group's order (or its text).
    """
    hidden = {g for g, n in sizes.items() if n < threshold}
    shown = [g for g in sizes if g not in hidden]
    try:
        shown.sort(key=lambda g: (sizes[g], g))
    except TypeError:  # groups that do not compare (None beside text): by their text
        shown.sort(key=lambda g: (sizes[g], str(g)))
    small_unseen = 0 < unseen < threshold
    while (
        (hidden or small_unseen)
        and shown
        and unseen + sum(sizes[g] for g in hidden) < threshold
    ):
        hidden.add(shown.pop(0))
    return hidden
