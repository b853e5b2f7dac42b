"""Group suggested duplicate pairs into clusters of one name's spellings.

Pure functions over the pairs the scorer suggested (no database): the review
queue and ``dossier-desk suggest --clusters`` show each cluster at once, as
OpenRefine's cluster dialog does, so "Jaish-e-Mohammed", "Jaish-e-Muhammad",
"Jaish e Mohammad" and "JeM" are decided together instead of as six pairs.

Plain connected components chain: one weak link between two groups (a shared
given name, a generic word) would join every "Muhammad" in the library. So the
pairs are joined best first, like single-linkage clustering with limits:

- a pair scoring at least ``strong`` joins its two groups;
- a weaker pair joins two groups only when the groups are linked densely
  (suggested pairs between them make up at least ``density`` of all the pairs
  they could form), so a singleton joins a group only through at least half
  of its names, and two groups never merge through one weak pair;
- no group grows beyond ``max_size`` names;
- two entities judged "different" (``apart``) never end up in one group.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple, Protocol

import numpy as np

# A pair at or above this score can join two groups on its own. STRONG,
# DENSITY and MAX_SIZE were chosen on the real alias clusters
# (tests/eval/aliases/clusters_eval.py): they keep the pairs inside clusters
# right where plain components chain dozens of names through weak links.
STRONG = 80
# Share of the possible pairs between two groups that must be suggested for a
# weaker pair to join them.
DENSITY = 0.5
# A cluster is something one person can read through in one dialog.
MAX_SIZE = 25


class Pair(Protocol):
    """What a suggestion offers for clustering (matching.Suggestion fits)."""

    @property
    def a(self) -> int: ...

    @property
    def b(self) -> int: ...

    @property
    def score(self) -> int: ...


def cluster_pairs(
    pairs: Iterable[Pair],
    apart: Iterable[tuple[int, int]] = (),
    *,
    strong: int = STRONG,
    density: float = DENSITY,
    max_size: int = MAX_SIZE,
) -> list[list[int]]:
    """Groups of two or more entity ids, each sorted; groups ordered by their
    best pair's score (highest first), then by their smallest id."""
    rows = sorted(pairs, key=lambda p: (-p.score, min(p.a, p.b), max(p.a, p.b)))
    blocked: dict[int, set[int]] = defaultdict(set)
    for x, y in apart:
        blocked[x].add(y)
        blocked[y].add(x)
    linked: dict[int, set[int]] = defaultdict(set)
    for p in rows:
        linked[p.a].add(p.b)
        linked[p.b].add(p.a)
    group: dict[int, int] = {}  # entity -> group id (its first member)
    members: dict[int, list[int]] = {}
    best: dict[int, int] = {}

    def group_of(x: int) -> int:
        if x not in group:
            group[x] = x
            members[x] = [x]
        return group[x]

    for p in rows:
        if p.a == p.b:
            continue
        ga, gb = group_of(p.a), group_of(p.b)
        if ga == gb:
            continue
        ma, mb = members[ga], members[gb]
        if len(ma) + len(mb) > max_size:
            continue
        if any(blocked[x] & set(mb) for x in ma):
            continue
        if p.score < strong and len(ma) * len(mb) > 1:
            small, other = (ma, set(mb)) if len(ma) <= len(mb) else (mb, set(ma))
            links = sum(len(linked[x] & other) for x in small)
            if links < density * len(ma) * len(mb):
                continue
        keep, gone = (ga, gb) if len(ma) >= len(mb) else (gb, ga)
        for x in members[gone]:
            group[x] = keep
        members[keep].extend(members.pop(gone))
        best[keep] = max(best.get(keep, p.score), best.pop(gone, p.score), p.score)
    out = [sorted(ms) for ms in members.values() if len(ms) > 1]
    score = {tuple(sorted(members[g])): best[g] for g in members if len(members[g]) > 1}
    out.sort(key=lambda ms: (-score[tuple(ms)], ms[0]))
    return out


# Implied pairs: a name linked to a second, which is linked to a third, is
# offered with the third too ("IRGC" abbreviates "Islamic Revolutionary Guards
# Corps", a spelling of "Islamic Revolutionary Guard Corps"). Only links at or
# above LINK carry the implication, and the implied score is the weakest link
# on the best path times DISCOUNT for each step after the first: a chain is
# never surer than its weakest step. LINK and DISCOUNT are round values, not
# fitted (the dev-set figures they give are in the README).
LINK = 60
DISCOUNT = 0.9
# A connected group of more names than this is a chain of common names (on
# 50,000 realistic names one such group holds three quarters of them), not
# one thing's spellings: it implies nothing, and its links are not held.
MAX_COMPONENT = 200


class Link(NamedTuple):
    """A scored pair of entities (a :class:`Pair`), as implied_pairs reads them."""

    a: int
    b: int
    score: int


class Implied(NamedTuple):
    a: int
    b: int
    score: int
    # The first name after ``a`` on the path, and how many steps it has.
    via: int
    steps: int
    # The two scores on the path's ends: the link a-via and the weakest link.
    first: int
    weakest: int


def implied_pairs(
    pairs: Iterable[Pair],
    apart: Iterable[tuple[int, int]] = (),
    *,
    link: int = LINK,
    discount: float = DISCOUNT,
    max_size: int = MAX_SIZE,
    max_component: int = MAX_COMPONENT,
) -> list[Implied]:
    """Pairs not among ``pairs`` (or scored lower there) that a path of links
    at or above ``link`` joins, each with the widest path's weakest link times
    ``discount`` per step after the first.

    Paths stay inside one group of linked names: a connected group of at most
    ``max_size`` names as it is, a bigger one split first by
    :func:`cluster_pairs`, so that no name is implied through a long chain of
    weak resemblances; a connected group of more than ``max_component`` names
    (common given names chain whole libraries) implies nothing. Pairs in
    ``apart`` are never implied, and no path runs across them (they are split
    by the clustering). ``pairs`` is read once, and only the links of the
    groups kept are held as Python objects (a big library has millions).
    """
    # The links as three flat arrays, and their connected groups (union-find).
    ends_a, ends_b, scores = array("q"), array("q"), array("h")
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        root = parent.setdefault(x, x)
        while root != parent[root]:
            parent[root] = parent[parent[root]]
            root = parent[root]
        return root

    for p in pairs:
        if p.score < link or p.a == p.b:
            continue
        ends_a.append(p.a)
        ends_b.append(p.b)
        scores.append(p.score)
        ra, rb = find(p.a), find(p.b)
        if ra != rb:
            parent[ra] = rb
    size: dict[int, int] = defaultdict(int)
    for x in parent:
        size[find(x)] += 1
    no = {(min(x, y), max(x, y)) for x, y in apart}
    split = {find(x) for pair in no for x in pair if x in parent}
    by_group: dict[int, list[int]] = defaultdict(list)
    for e, x in enumerate(ends_a):
        root = find(x)
        if 3 <= size[root] <= max_component:
            by_group[root].append(e)
    parent.clear()
    out: list[Implied] = []
    for root, edges in by_group.items():
        direct: dict[tuple[int, int], int] = {}
        adj: dict[int, dict[int, int]] = defaultdict(dict)
        for e in edges:
            x, y, score = ends_a[e], ends_b[e], scores[e]
            key = (min(x, y), max(x, y))
            if score > direct.get(key, -1):
                direct[key] = score
                adj[x][y] = score
                adj[y][x] = score
        if size[root] > max_size or root in split:
            inner = [Link(x, y, score) for (x, y), score in direct.items()]
            groups = cluster_pairs(inner, no, max_size=max_size)
        else:
            groups = [sorted(adj)]
        for group in groups:
            members = set(group)
            count = len(group)
            inside = sum(1 for x in group for y in adj[x] if y in members)
            if count < 3 or inside == count * (count - 1):
                # Two names, or every pair already compared directly.
                continue
            width, steps, via = _widest(group, adj)
            for i, j in zip(*np.nonzero(np.triu(steps >= 2)), strict=True):
                w, k, hop = int(width[i, j]), int(steps[i, j]), int(via[i, j])
                # Each step beyond the first adds doubt: a chain of seven
                # 80s is weaker than one 80 next to a 99.
                score = int(w * discount ** (k - 1))
                key = (group[i], group[j])
                if key in no or direct.get(key, -1) >= score:
                    continue
                first = direct[(min(group[i], group[hop]), max(group[i], group[hop]))]
                out.append(Implied(group[i], group[j], score, group[hop], k, first, w))
    out.sort(key=lambda p: (-p.score, p.a, p.b))
    return out


def _widest(
    group: list[int], adj: dict[int, dict[int, int]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Widest paths between all the names of one group (at most max_size):
    for each pair, the strongest weakest link of any path, the fewest steps
    that reach it, and the first name after the start on such a path. Links
    are extended one step at a time (max over the next name of the smaller of
    the link and the rest of the path) until no path gets wider."""
    size = len(group)
    index = {x: n for n, x in enumerate(group)}
    links = np.zeros((size, size), dtype=np.int16)
    for x in group:
        for y, score in adj[x].items():
            if y in index:
                links[index[x], index[y]] = score
    width = links.copy()
    steps = (links > 0).astype(np.int16)
    via = np.broadcast_to(np.arange(size), (size, size)).copy()
    for k in range(2, size):
        # through[i, l, j]: the width of going from i to l, then on to j.
        through = np.minimum(links[:, :, None], width[None, :, :])
        hop = through.argmax(axis=1)
        wider = np.take_along_axis(through, hop[:, None, :], axis=1)[:, 0, :]
        better = wider > width
        np.fill_diagonal(better, False)
        if not better.any():
            break
        width = np.where(better, wider, width)
        steps = np.where(better, k, steps)
        via = np.where(better, hop, via)
    return width, steps, via
