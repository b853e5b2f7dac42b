"""Import rate on real text: our whole import against spaCy en_core_web_sm's
default pipeline (nlp.pipe) over the same GUM documents. Writes
tests/benchmarks/results/gum_speed.json; ``make eval`` records the same figure
in gum.json beside the quality table.

    pytest -m benchmark tests/benchmarks/test_gum_speed.py -s
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).parent / "results" / "gum_speed.json"


@pytest.mark.benchmark
def test_import_is_at_least_twice_spacy_default_pipeline() -> None:
    spec = importlib.util.spec_from_file_location("run_gum", ROOT / "tests/eval/gum/run_gum.py")
    assert spec is not None
    assert spec.loader is not None
    run_gum = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_gum)
    if not (run_gum.DEFAULT_GUM / "score.py").exists():
        pytest.skip("the GUM corpus is not beside this checkout")
    result = run_gum.speed(run_gum.DEFAULT_GUM, run_gum.documents(run_gum.DEFAULT_GUM, None))
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(result)
    assert result["ratio"] >= 2.0, result
