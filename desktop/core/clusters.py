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

from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

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
