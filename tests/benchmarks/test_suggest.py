"""Suggestion generation at scale, side by side with an exhaustive comparison.

Run on demand:  pytest -m benchmark tests/benchmarks/test_suggest.py -s

What the issue asks (issue 14), on names shaped like the real lists
(``realistic_names``: word frequencies from the dev alias clusters, common given
names and surnames recurring everywhere, many 2-5 letter acronyms, organisation
names sharing generic words, respellings next to their name):

- 50,000 names: ``matching.suggest_pairs`` (candidate generation, the rules,
  the learnt model, reasons for every pair returned, no limit) timed in the
  same run as an exhaustive rapidfuzz ``cdist`` over the same names
  (token_sort_ratio, default_process, score_cutoff 85, workers=-1, all
  cores); the exhaustive matrix is computed in blocks of rows so that it fits
  in memory (the same comparisons). Our time must be at most a tenth of it, and
  the candidate stage must propose at least 95% of the pairs the exhaustive
  comparison finds.
- 200,000 names: ``suggest_pairs`` (the best 1,000 pairs, as the review queue
  asks) in a fresh interpreter, its time and peak resident memory (VmHWM),
  which must stay below 2 GB.

The machine may be shared, so wall time, CPU time (all threads of the process)
and the load averages are recorded; the ratio is of wall times (the exhaustive
comparison uses every core, ours one), the CPU ratio is recorded beside it.

The simpler generator below (``generate_typed``) is the one the older tests use
(tests/core/test_suggest_batch.py, test_team.py).
"""

from __future__ import annotations

import gc
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process, utils

from desktop.core import matching
from desktop.core import names as nm

RESULTS = Path(__file__).with_name("results") / "suggest.json"
N_NAMES = 100_000
N_REAL = 50_000
N_BIG = 200_000
# The 200,000-name run returns the best 1,000 pairs, as a review queue shows
# them; the 50,000-name run returns every pair above the threshold.
BIG_LIMIT = 1_000
CUTOFF = 85
BLOCK_ROWS = 2_000

FIRST = [
    "Mohammed",
    "Ahmed",
    "Ali",
    "Hassan",
    "Hussain",
    "Omar",
    "Usman",
    "Abdul",
    "Abdullah",
    "Khalid",
    "Tariq",
    "Imran",
    "Asif",
    "Bilal",
    "Hamza",
    "Zubair",
    "Yusuf",
    "Ibrahim",
    "Ismail",
    "Junaid",
    "Kamran",
    "Nadeem",
    "Naveed",
    "Qasim",
    "Rashid",
    "Saeed",
    "Salman",
    "Shahid",
    "Sohail",
    "Waqar",
    "Zahid",
    "Faisal",
    "Farhan",
    "Haroon",
    "Irfan",
    "Javed",
    "Masood",
    "Mushtaq",
    "Nasir",
    "Rafiq",
    "Riaz",
    "Sajid",
    "Shafiq",
    "Tahir",
    "Yasir",
    "Zafar",
    "Anwar",
    "Akram",
    "Aslam",
    "Azhar",
    "Babar",
    "Danish",
    "Ehsan",
    "Fahad",
    "Ghulam",
    "Habib",
    "Ilyas",
    "Jamil",
    "Kashif",
    "Latif",
    "Mansoor",
    "Nawaz",
    "Owais",
    "Pervez",
    "Qadir",
    "Rehman",
]
MIDDLE = [
    "Ahmed",
    "Ali",
    "Hussain",
    "Khan",
    "Shah",
    "Muhammad",
    "Raza",
    "Iqbal",
    "Akhtar",
    "Aziz",
    "Hanif",
    "Karim",
    "Nabi",
    "Rauf",
]
LAST = [
    "Khan",
    "Malik",
    "Qureshi",
    "Siddiqui",
    "Chaudhry",
    "Sheikh",
    "Butt",
    "Mir",
    "Lone",
    "Wani",
    "Dar",
    "Bhat",
    "Shah",
    "Baig",
    "Mehsud",
    "Wazir",
    "Afridi",
    "Yousafzai",
    "Durrani",
    "Popalzai",
    "Achakzai",
    "Barakzai",
    "Haqqani",
    "Kashmiri",
    "Lakhvi",
    "Azhar",
    "Makki",
    "Alvi",
    "Rana",
    "Gilani",
    "Bukhari",
    "Hashmi",
    "Rizvi",
    "Naqvi",
    "Jafri",
    "Zaidi",
    "Kazmi",
    "Abbasi",
    "Farooqi",
    "Usmani",
    "Ansari",
    "Qadri",
    "Chishti",
    "Nizami",
    "Awan",
    "Jatt",
    "Rajput",
    "Gujjar",
    "Mughal",
    "Tanoli",
    "Swati",
    "Baloch",
    "Marri",
    "Bugti",
    "Mengal",
    "Zehri",
    "Rind",
    "Jamali",
    "Khosa",
    "Leghari",
    "Mazari",
    "Tiwana",
    "Noon",
    "Sial",
    "Khar",
]
ORG_HEAD = [
    "Lashkar",
    "Jaish",
    "Harkat",
    "Hizb",
    "Tehrik",
    "Jamaat",
    "Jamiat",
    "Sipah",
    "Tanzeem",
    "Majlis",
    "Anjuman",
    "Idara",
    "Markaz",
    "Mahaz",
    "Ittehad",
    "Ansar",
    "Jund",
    "Kataib",
    "Liwa",
    "Saraya",
    "Tahaffuz",
    "Tablighi",
    "Dawat",
    "Falah",
]
ORG_TAIL = [
    "Taiba",
    "Jhangvi",
    "Mohammed",
    "Islam",
    "Islami",
    "Mujahideen",
    "Ansar",
    "Ahrar",
    "Adl",
    "Furqan",
    "Sahaba",
    "Umar",
    "Khilafat",
    "Jihad",
    "Nusrat",
    "Tawheed",
    "Sunnat",
    "Shariat",
    "Insaf",
    "Ulema",
    "Dawa",
    "Mustafa",
    "Haq",
    "Badr",
    "Qaeda",
]
PLACE = [
    "Pakistan",
    "Kashmir",
    "Afghanistan",
    "Khorasan",
    "Hind",
    "Bangladesh",
    "Punjab",
    "Sindh",
    "Waziristan",
]
SWAPS = {
    "Mohammed": ["Muhammad", "Mohammad", "Mohamad", "Muhammed"],
    "Hussain": ["Hussein", "Husain"],
    "Khalid": ["Khaled"],
    "Rehman": ["Rahman"],
    "Yusuf": ["Yousuf", "Yousaf"],
    "Usman": ["Osman", "Othman"],
    "Omar": ["Umar"],
    "Masood": ["Masud", "Massoud"],
    "Taiba": ["Tayyiba", "Toiba"],
    "Qadir": ["Qadeer", "Kadir"],
    "Chaudhry": ["Chaudhary", "Choudhry"],
    "Tehrik": ["Tehreek", "Tahrik"],
    "Jaish": ["Jaysh"],
    "Mujahideen": ["Mujahidin"],
    "Yousafzai": ["Yusufzai"],
    "Gilani": ["Geelani", "Jilani"],
    "Saeed": ["Sayeed", "Said"],
}
TITLES = ["Maulana", "Hafiz", "Mufti", "Sheikh", "Dr.", "Gen.", "Qari", "Mullah"]


def _base(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.7:
        parts = [rng.choice(FIRST)]
        if rng.random() < 0.5:
            parts.append(rng.choice(MIDDLE))
        parts.append(rng.choice(LAST))
        return " ".join(parts)
    conn = rng.choice(["-e-", "-i-", "-ul-", "-ud-", " al-"])
    name = f"{rng.choice(ORG_HEAD)}{conn}{rng.choice(ORG_TAIL)}"
    if rng.random() < 0.4:
        name += " " + rng.choice(PLACE)
    return name


def _variant(name: str, rng: random.Random) -> str:
    words = name.split(" ")
    kind = rng.random()
    if kind < 0.35:
        words = [rng.choice(SWAPS[w]) if w in SWAPS and rng.random() < 0.8 else w for w in words]
        out = " ".join(words)
        if out != name:
            return out
    if kind < 0.5 and "-" in name:
        return name.replace("-e-", "-i-").replace("-ul-", " ul ").replace("-", " ")
    if kind < 0.65:
        return f"{rng.choice(TITLES)} {name}"
    if kind < 0.85:
        i = rng.randrange(len(name))
        letter = rng.choice("aeioulnrst")
        op = rng.random()
        if op < 0.4:
            return name[:i] + letter + name[i + 1 :]
        if op < 0.7:
            return name[:i] + letter + name[i:]
        return name[:i] + name[i + 1 :] if len(name) > 4 else name + letter
    if len(words) >= 2 and "-" not in name:
        return " ".join([*words[1:], words[0]])
    return name.upper() if rng.random() < 0.5 else name.lower()


def generate(n: int = N_NAMES, seed: int = 5) -> list[str]:
    return [name for name, _ in generate_typed(n, seed)]


def generate_typed(n: int = N_NAMES, seed: int = 5) -> list[tuple[str, str]]:
    """(name, type) pairs: a base name, then 0-3 variants of it."""
    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    while len(out) < n:
        base = _base(rng)
        type_ = "ORG" if "-" in base or " al-" in base else "PER"
        out.append((base, type_))
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            out.append((_variant(base, rng), type_))
    return out[:n]


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _timed(fn):  # type: ignore[no-untyped-def]
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    return result, (round(time.perf_counter() - t0, 2), round(time.process_time() - c0, 2))


def exhaustive_pairs(names: list[str]) -> set[tuple[int, int]]:
    """Every pair (i < j) whose token_sort_ratio after default_process is at
    least CUTOFF: rapidfuzz cdist on all cores, in blocks of rows."""
    import numpy as np

    found: set[tuple[int, int]] = set()
    for start in range(0, len(names), BLOCK_ROWS):
        block = process.cdist(
            names[start : start + BLOCK_ROWS],
            names,
            scorer=fuzz.token_sort_ratio,
            processor=utils.default_process,
            score_cutoff=CUTOFF,
            workers=-1,
            dtype=np.uint8,
        )
        rows, cols = np.nonzero(block)
        rows += start
        keep = rows < cols
        found.update(zip(rows[keep].tolist(), cols[keep].tolist(), strict=True))
    return found


def candidate_recall(
    typed: list[tuple[str, str]], exhaustive: set[tuple[int, int]], accepted_only: bool = False
) -> tuple[float, int]:
    """Share of the exhaustive pairs that suggestion's candidate stage proposes:
    names with one alias key are paired outright, other spellings when the
    blocking (``matching.candidate_pairs``) proposes them, as in suggest_pairs.
    ``accepted_only``: of the exhaustive pairs that our scorer (the rules and
    the model, ``pair_scores``) would suggest on their names alone; many pairs
    above 85 are two people who share two common names (Mohammad Khiri /
    Mohammad Asiri), which suggestion rightly never proposes."""
    if accepted_only:
        todo = sorted(exhaustive)
        infos = {i: matching.NameInfo.of(typed[i][0]) for p in todo for i in p}
        scores = matching.pair_scores(
            [(infos[i], infos[j]) for i, j in todo],
            [matching._kind(typed[i][1], typed[j][1]) for i, j in todo],
        )
        exhaustive = {
            p for p, ns in zip(todo, scores, strict=True) if ns.score >= matching.DEFAULT_MIN_SCORE
        }
    group_of: dict[str, int] = {}
    texts: list[str] = []
    people: set[int] = set()
    groups = []
    for name, type_ in typed:
        k = nm.alias_key(name)
        g = group_of.get(k)
        if g is None:
            g = group_of[k] = len(texts)
            texts.append(name)
        if type_ == "PER":
            people.add(g)
        groups.append(g)
    index = matching.build_index(enumerate(texts), people=people)
    n = len(texts)
    codes = matching.candidate_pairs(index)
    hit = 0
    for i, j in exhaustive:
        gi, gj = groups[i], groups[j]
        if gi == gj or (min(gi, gj) * n + max(gi, gj)) in codes:
            hit += 1
    return (hit / len(exhaustive) if exhaustive else 1.0), len(codes)


# suggest_pairs alone in a fresh interpreter: the memory the operating system
# sees (tracemalloc counts Python allocations only) and a cold start.
_FRESH = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from realistic_names import generate_typed
from desktop.core import matching

def high_water_mb():
    # VmHWM, not getrusage: on Linux ru_maxrss survives exec, so a child
    # started from this big benchmark process would report the parent's peak.
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)

typed = generate_typed(int(sys.argv[2]))
records = [matching.EntityRecord(i, n, t, (n,)) for i, (n, t) in enumerate(typed)]
before = high_water_mb()
t0, c0 = time.perf_counter(), time.process_time()
out = matching.suggest_pairs(records, limit=int(sys.argv[3]))
print(json.dumps({
    "names": len(records),
    "suggestions_returned": len(out),
    "limit": int(sys.argv[3]),
    "wall_seconds": round(time.perf_counter() - t0, 2),
    "cpu_seconds": round(time.process_time() - c0, 2),
    "peak_rss_mb_before": before,
    "peak_rss_mb": high_water_mb(),
}))
"""


def fresh_suggest(n: int, limit: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _FRESH, str(Path(__file__).parent), str(n), str(limit)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return json.loads(out.stdout)


@pytest.mark.benchmark
def test_suggest_on_realistic_names_against_exhaustive_cdist():
    sys.path.insert(0, str(Path(__file__).parent))
    from realistic_names import Generator

    gen = Generator()
    typed = gen.typed(N_REAL)
    names = [n for n, _ in typed]
    records = [matching.EntityRecord(i, n, t, (n,)) for i, (n, t) in enumerate(typed)]
    load_at_start = _load()
    suggestions, t_suggest = _timed(lambda: matching.suggest_pairs(records, limit=None))
    load_at_exhaustive = _load()
    exhaustive, t_exhaustive = _timed(lambda: exhaustive_pairs(names))
    load_after = _load()
    recall, candidates = candidate_recall(typed, exhaustive)
    recall_accepted, _ = candidate_recall(typed, exhaustive, accepted_only=True)
    suggested = {(min(s.a, s.b), max(s.a, s.b)) for s in suggestions}
    suggested_share = sum(1 for p in exhaustive if p in suggested) / max(1, len(exhaustive))
    big = fresh_suggest(N_BIG, BIG_LIMIT)
    result = {
        "generator": "tests/benchmarks/realistic_names.py",
        "word_source": gen.source,
        "names": N_REAL,
        "distinct_names": len(set(names)),
        "suggest_pairs": {
            "wall_seconds": t_suggest[0],
            "cpu_seconds": t_suggest[1],
            "suggestions_returned": len(suggestions),
            "min_score": matching.DEFAULT_MIN_SCORE,
            "limit": None,
            "candidate_pairs_of_spellings": candidates,
            "load_average_at_start_1_5_15min": load_at_start,
        },
        "exhaustive_cdist": {
            "scorer": "token_sort_ratio, processor default_process",
            "score_cutoff": CUTOFF,
            "workers": -1,
            "cores": os.cpu_count(),
            "wall_seconds": t_exhaustive[0],
            "cpu_seconds_all_threads": t_exhaustive[1],
            "pairs": len(exhaustive),
            "load_average_at_start_1_5_15min": load_at_exhaustive,
        },
        "ratio_wall": round(t_suggest[0] / t_exhaustive[0], 3),
        "ratio_cpu": round(t_suggest[1] / t_exhaustive[1], 3),
        "candidate_recall_of_exhaustive_pairs": round(recall, 4),
        "candidate_recall_of_exhaustive_pairs_our_scorer_accepts": round(recall_accepted, 4),
        "share_of_exhaustive_pairs_suggested": round(suggested_share, 4),
        "load_average_after_1_5_15min": load_after,
        "suggest_200k_fresh_process": big,
        "load_average_at_end_1_5_15min": _load(),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    assert result["ratio_wall"] <= 0.1
    assert recall >= 0.95
    assert big["names"] == N_BIG
    assert big["peak_rss_mb"] < 2048
