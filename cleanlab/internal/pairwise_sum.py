"""NumPy's pairwise summation, assembled from pieces held in different places.

``np.mean`` of a contiguous float array adds it up pairwise: a range of more
than 128 values is split in two at ``n // 2`` rounded down to a multiple of 8,
each half summed recursively and the two sums added; a range of at most 128
values (a leaf) is summed by a fixed loop, exactly what ``np.add.reduce`` does
for that range alone. The tree depends only on the length, so when the values
are spread over several row blocks (of a Dask array, say), each block can sum
the leaves it holds whole, pass on the pieces of the leaves cut by its
borders, and the sums can be combined in any order and grouping into the
very number ``np.mean`` gives for the whole array.

Values are grouped by a key (the class): each key has its own sequence of
`size` values, positions ``0..size-1``. A partial result, `LeafSums`, maps
``(key, leaf start)`` to the leaf's sum or to the pieces seen so far.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "LeafSums",
    "block_leaf_sums",
    "leaves_overlapping",
    "mean_from_leaf_sums",
    "merge_leaf_sums",
]

# NumPy's PW_BLOCKSIZE and unroll factor (numpy/_core/src/umath/loops_utils.h).
_LEAF_SIZE = 128
_UNROLL = 8


def leaves_overlapping(size: int, lo: int, hi: int) -> list[tuple[int, int]]:
    """``(start, length)`` of the leaves of a `size`-long sum meeting ``[lo, hi)``.

    In order of position; only the branches of the tree that meet the range are
    visited, so the cost is about ``(hi - lo) / 64 + log(size)``.
    """
    leaves = []
    stack = [(0, size)]
    while stack:
        start, length = stack.pop()
        if start >= hi or start + length <= lo or length == 0:
            continue
        if length <= _LEAF_SIZE:
            leaves.append((start, length))
            continue
        half = length // 2
        half -= half % _UNROLL
        stack.append((start + half, length - half))
        stack.append((start, half))
    return leaves


class LeafSums:
    """Partial pairwise sums: complete leaves and pieces of the others.

    ``sums[(key, start)]`` is the sum of a complete leaf; ``pieces[(key,
    start)]`` is ``(length, [(position, values), ...])`` for a leaf seen only in
    part so far.
    """

    __slots__ = ("pieces", "sums")

    def __init__(self, sums=None, pieces=None):
        self.sums = sums if sums is not None else {}
        self.pieces = pieces if pieces is not None else {}

    def __reduce__(self):
        return (LeafSums, (self.sums, self.pieces))

    def add_piece(self, leaf, length, position, values) -> None:
        """Record `values` at `position` of `leaf`; sum the leaf once complete."""
        _, parts = self.pieces.pop(leaf, (length, []))
        parts = [*parts, (position, values)]
        if sum(len(v) for _, v in parts) == length:
            parts.sort(key=lambda part: part[0])
            self.sums[leaf] = np.add.reduce(np.concatenate([v for _, v in parts]))
        else:
            self.pieces[leaf] = (length, parts)


def block_leaf_sums(runs: dict, sizes) -> LeafSums:
    """Leaf sums of one block: `runs` maps a key to ``(offset, values)``.

    ``values`` are that key's values held by the block, at positions
    ``offset..offset + len(values) - 1`` of a sequence of ``sizes[key]``.
    """
    result = LeafSums()
    for key, (offset, values) in runs.items():
        end = offset + len(values)
        for start, length in leaves_overlapping(int(sizes[key]), offset, end):
            leaf = (key, start)
            if start >= offset and start + length <= end:
                local = start - offset
                result.sums[leaf] = np.add.reduce(values[local : local + length])
            else:
                lo, hi = max(start, offset), min(start + length, end)
                result.add_piece(leaf, length, lo, values[lo - offset : hi - offset])
    return result


def merge_leaf_sums(*parts: LeafSums) -> LeafSums:
    """One `LeafSums` holding everything in `parts` (any order, any grouping)."""
    merged = LeafSums()
    for part in parts:
        merged.sums.update(part.sums)
        for leaf, (length, pieces) in part.pieces.items():
            for position, values in pieces:
                merged.add_piece(leaf, length, position, values)
    return merged


def mean_from_leaf_sums(sums: LeafSums, key, size: int):
    """``np.mean`` of the `size` values of `key`, from their complete leaf sums.

    Raises KeyError if a leaf is missing (some values were never seen).
    """

    def total(start: int, length: int):
        if length <= _LEAF_SIZE:
            return sums.sums[(key, start)]
        half = length // 2
        half -= half % _UNROLL
        return total(start, half) + total(start + half, length - half)

    value = total(0, size)
    # As in np.mean: the sum divided by the count, in the sum's own dtype.
    return value.dtype.type(value / size)
