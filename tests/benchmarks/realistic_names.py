"""Names shaped like the real lists, for the suggestion benchmark.

The words and how often they occur come from the real alias clusters
(../shared/corpora/aliases-dev): given names, middle names and surnames of the
people there, the words of organisation names (generic ones such as "Islamic",
"Movement", "Front" recur across many bodies), place names. The generator then
produces what a big library of such names looks like:

- common given names and surnames recurring everywhere (the words are drawn
  with their frequency in the clusters, raised to make the head heavier, as in
  real lists where Muhammad, Ahmad, Khan and Ali are everywhere);
- many 2-5 letter acronyms, most the initials of a generated organisation,
  some random letters;
- organisations sharing generic words, with connectors (-e-, -ul-, al-) in
  the written forms the lists use;
- respellings of a name (vowel and consonant swaps that Arabic, Persian and
  Urdu romanisations make, doubled letters, connector and hyphen changes,
  titles, word-order swaps) next to it, as aliases arrive in a library.

When the clusters are not on this machine a small built-in word list stands in
(the figures then say so: ``source`` in the results).
"""

from __future__ import annotations

import json
import os
import random
import re
from collections import Counter
from pathlib import Path

DEV = Path(os.environ.get("DOSSIER_DESK_ALIASES_DEV", "/work/shared/corpora/aliases-dev"))

TITLES = {
    "hafiz",
    "hafez",
    "maulana",
    "mullah",
    "mulana",
    "sheikh",
    "shaykh",
    "mufti",
    "qari",
    "dr",
    "general",
    "commander",
    "haji",
    "sayed",
}
CONNECTORS = {"al", "el", "ul", "e", "i", "ud", "ur", "ut", "us", "bin", "ibn", "abu"}
STOP = {"of", "the", "and", "to", "wal", "in", "for", "de", "o"}

_FALLBACK = {
    "given": [
        "Muhammad",
        "Ahmad",
        "Ali",
        "Abdul",
        "Hafiz",
        "Khalid",
        "Omar",
        "Hassan",
        "Saeed",
        "Fazal",
        "Zafar",
        "Masood",
    ],
    "middle": ["Muhammad", "Ahmad", "Ali", "Khan", "Shah", "Iqbal", "Saeed"],
    "surname": [
        "Khan",
        "Ali",
        "Ahmad",
        "Iqbal",
        "Azhar",
        "Haqqani",
        "Rahman",
        "Mehsud",
        "Qureshi",
        "Hekmatyar",
    ],
    "org": [
        "Lashkar",
        "Jaish",
        "Harakat",
        "Hizb",
        "Tehrik",
        "Jamaat",
        "Ansar",
        "Islamic",
        "Movement",
        "Front",
        "Taliban",
    ],
    "generic": [
        "Islamic",
        "Movement",
        "Front",
        "Army",
        "Group",
        "Organisation",
        "Party",
        "Brigade",
    ],
    "place": ["Peshawar", "Balochistan", "Kashmir", "Helmand", "Kandahar", "Waziristan", "Karachi"],
}
GENERIC = {
    "islamic",
    "islami",
    "movement",
    "front",
    "army",
    "group",
    "organization",
    "organisation",
    "party",
    "brigade",
    "brigades",
    "battalion",
    "council",
    "state",
    "national",
    "liberation",
    "people",
    "peoples",
    "union",
    "force",
    "forces",
    "network",
    "province",
    "areas",
    "district",
    "jamaat",
    "tehrik",
    "lashkar",
    "harakat",
    "jaish",
    "hizb",
    "ansar",
    "jund",
    "mujahideen",
}

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def _vocabulary() -> tuple[dict[str, Counter[str]], str]:
    path = DEV / "clusters.json"
    if not path.exists():
        return {k: Counter(v) for k, v in _FALLBACK.items()}, "built-in word list"
    clusters = json.loads(path.read_text(encoding="utf-8"))
    pools: dict[str, Counter[str]] = {k: Counter() for k in _FALLBACK}
    for c in clusters:
        kinds = c.get("variant_kinds") or {}
        for name in c["names"]:
            if kinds.get(name) == "acronym":
                continue
            words = [
                w
                for w in _WORD.findall(name)
                if (len(w) > 1 or w.lower() in CONNECTORS) and w.lower() not in STOP
            ]
            if not words or all(w.isupper() for w in words):
                continue
            if c["type"] == "PER":
                core = [w for w in words if w.lower() not in TITLES and w.lower() not in CONNECTORS]
                if len(core) < 2:
                    continue
                pools["given"][core[0]] += 1
                pools["surname"][core[-1]] += 1
                for w in core[1:-1]:
                    pools["middle"][w] += 1
            elif c["type"] == "ORG":
                for w in words:
                    if w.lower() in CONNECTORS or not w[0].isupper():
                        continue
                    pools["generic" if w.lower() in GENERIC else "org"][w] += 1
            elif c["type"] == "LOC":
                for w in words:
                    if w.lower() not in CONNECTORS and w[0].isupper() and w.lower() not in GENERIC:
                        pools["place"][w] += 1
    return pools, str(path)


class Generator:
    """Draws names; ``heavy`` raises the cluster frequencies to a power, so that
    the common words recur as they do in a large list."""

    def __init__(self, seed: int = 7, heavy: float = 1.2) -> None:
        self.rng = random.Random(seed)
        pools, self.source = _vocabulary()
        self.pools = {k: (list(c), [n**heavy for n in c.values()]) for k, c in pools.items() if c}
        self.titles = ["Hafiz", "Maulana", "Mullah", "Sheikh", "Mufti", "Qari", "Dr.", "Haji"]

    def _draw(self, pool: str, k: int = 1) -> list[str]:
        words, weights = self.pools[pool]
        return self.rng.choices(words, weights, k=k)

    def _spliced(self, pool: str) -> str:
        """A word not in the clusters but shaped like theirs: the front of one
        word of the pool and the back of another (Haqqani, Mehsud -> Haqsud),
        so that a big library has the many rarer surnames and words real
        lists have, besides the common ones that recur everywhere."""
        a, b = self._draw(pool, 2)
        cut_a = max(2, len(a) // 2)
        cut_b = min(len(b) - 2, len(b) // 2)
        return a[:cut_a] + b[max(0, cut_b) :].lower()

    def person(self) -> str:
        r = self.rng.random()
        given = self._draw("given")[0]
        surname = self._draw("surname")[0] if r < 0.5 or r > 0.9 else self._spliced("surname")
        parts = [given]
        if r < 0.35:
            parts += self._draw("middle")
        elif r < 0.45:
            parts += ["bin" if self.rng.random() < 0.5 else "ibn", self._draw("given")[0]]
        parts.append(surname)
        if self.rng.random() < 0.15:
            parts.insert(0, self.rng.choice(self.titles))
        return " ".join(parts)

    def organisation(self) -> str:
        rng = self.rng
        n_content = rng.choice([1, 1, 2, 2, 3])
        content = list(dict.fromkeys(self._draw("org", n_content)))
        if rng.random() < 0.5:
            content[-1] = self._spliced("org")
        generic = list(dict.fromkeys(self._draw("generic", rng.choice([1, 1, 2]))))
        generic = [w for w in generic if w not in content] or [self.pools["generic"][0][0]]
        conn = rng.choice(["-e-", "-i-", "-ul-", " al-", " ", " ", " "])
        if rng.random() < 0.5:
            head = generic[0] + conn + content[0]
            rest = content[1:] + generic[1:]
        else:
            second = content[1] if len(content) > 1 else generic.pop(0)
            head = content[0] + (conn if conn.strip() else " ") + second
            rest = content[2:] + generic
        words = [head, *rest]
        if rng.random() < 0.25:
            words.append(self._draw("place")[0])
        return " ".join(words)

    def place(self) -> str:
        words = self._draw("place", self.rng.choice([1, 1, 1, 2]))
        return " ".join(dict.fromkeys(words))

    def acronym(self, of: str | None = None) -> str:
        rng = self.rng
        if of is not None and rng.random() < 0.8:
            initials = "".join(w[0] for w in re.split(r"[\s-]+", of) if w and w[0].isalpha())
            initials = initials.upper()[:5]
            if len(initials) >= 2:
                return initials
        n = rng.choice([2, 3, 3, 3, 4, 4, 5])
        return "".join(rng.choices("ABHIJKLMNPQSTU", k=n))

    def respell(self, name: str, type_: str) -> str:
        rng = self.rng
        op = rng.random()
        if op < 0.45:
            swaps = [
                ("u", "o"),
                ("o", "u"),
                ("a", "e"),
                ("e", "i"),
                ("i", "ee"),
                ("ee", "i"),
                ("q", "k"),
                ("k", "q"),
                ("dh", "z"),
                ("z", "dh"),
                ("ou", "u"),
                ("w", "v"),
                ("y", "i"),
                ("ai", "ay"),
                ("ss", "s"),
                ("s", "ss"),
                ("kh", "h"),
            ]
            src, dst = rng.choice(swaps)
            spots = [m.start() for m in re.finditer(src, name)]
            if spots:
                at = rng.choice(spots)
                return name[:at] + dst + name[at + len(src) :]
        if op < 0.6 and ("-" in name or " al-" in name):
            return name.replace("-e-", "-i-").replace("-ul-", " ul ").replace("-", " ")
        if op < 0.72 and type_ == "PER":
            return f"{rng.choice(self.titles)} {name}"
        if op < 0.85:
            i = rng.randrange(len(name))
            return name[:i] + name[i] + name[i:]  # a doubled letter
        words = name.split(" ")
        if len(words) >= 2:
            return " ".join([*words[1:], words[0]])
        return name.upper()

    def typed(self, n: int) -> list[tuple[str, str]]:
        """``n`` (name, type) pairs: a base name, then 0-3 variants of it."""
        rng = self.rng
        out: list[tuple[str, str]] = []
        while len(out) < n:
            r = rng.random()
            if r < 0.62:
                base, type_ = self.person(), "PER"
            elif r < 0.96:
                base, type_ = self.organisation(), "ORG"
            else:
                base, type_ = self.place(), "LOC"
            out.append((base, type_))
            if type_ == "ORG" and rng.random() < 0.45:
                out.append((self.acronym(base), "ORG"))
            for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
                out.append((self.respell(base, type_), type_))
        return out[:n]


def generate_typed(n: int, seed: int = 7) -> list[tuple[str, str]]:
    return Generator(seed).typed(n)
