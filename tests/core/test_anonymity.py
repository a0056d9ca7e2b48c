"""The one suppression rule every grouped table uses (core/anonymity.py)."""

from __future__ import annotations

import pytest

from outsidein.core.anonymity import hidden_groups


@pytest.mark.parametrize(
    ("sizes", "unseen", "hidden"),
    [
        ({"a": 9, "b": 7}, 0, set()),
        ({"a": 9, "b": 3}, 0, {"a", "b"}),  # 3 alone would be the total minus 9
        ({"a": 9, "b": 3, "c": 2}, 0, {"b", "c"}),  # hidden together: 5
        ({"a": 9, "b": 6, "c": 1}, 0, {"b", "c"}),
        ({"a": 9, "b": 7}, 2, {"b"}),  # 2 in no group: the smallest group joins them
        ({"a": 9, "b": 7}, 5, set()),  # 5 in no group are enough on their own
        ({"a": 4}, 0, {"a"}),
        ({}, 3, set()),
    ],
)
def test_primary_and_secondary_suppression(
    sizes: dict[str, int], unseen: int, hidden: set[str]
) -> None:
    assert hidden_groups(sizes, 5, unseen=unseen) == hidden
    shown_total = sum(n for g, n in sizes.items() if g not in hidden)
    withheld = sum(sizes.values()) + unseen - shown_total
    assert withheld == 0 or withheld >= 5 or not shown_total  # nothing small to subtract


def test_groups_that_do_not_compare_are_ordered_by_their_text() -> None:
    assert hidden_groups({None: 6, "web": 6, "shop": 2}, 5) == {None, "shop"}
