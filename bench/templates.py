"""Do the built-in templates follow the world? (prints JSON lines; asserts nothing)

    python bench/templates.py [-n 200] [--seed 12]

For every built-in template, plans n records through the real Planner (code-drawn fields only;
model-written text is not needed), applies the template's rules as a run does (records still
breaking a code-side rule are rejected and counted), and prints one JSON line with each
dependency's agreement share: the share of applicable records that agree with the world (for
"direction agrees with the category", the records whose category has a definite direction), or
1.0 / 0.0 for a whole-sample property such as rising group medians, with the medians per group.
Target: every share >= 0.95 over 200 records.

The checks live in tests/schema/test_template_realism.py (the test asserts what this prints).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_checks():
    path = ROOT / "tests" / "schema" / "test_template_realism.py"
    spec = importlib.util.spec_from_file_location("template_realism_checks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def declared(schema) -> dict[str, str]:
    """What each field declares: its kind, and the field it depends on."""
    return {name: d.base.kind + (f" by {d.by}" if d.by else "") for name, d in schema.distributions.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--declared", action="store_true", help="also print what each template declares")
    args = parser.parse_args()
    checks = load_checks()
    for template, table in checks.CHECKS.items():
        schema, records, rejected = checks.planned(template, args.n, args.seed)
        deps = {}
        for name, check in table.items():
            agreement, details = check(list(records))
            deps[name] = {"share": round(agreement, 4), **details}
        line = {
            "template": template,
            "records": len(records),
            "rejected_by_rules": rejected,
            "warnings": len(schema.warnings),
            "min_share": min(d["share"] for d in deps.values()),
            "dependencies": deps,
        }
        if args.declared:
            line["declared"] = declared(schema)
            line["rules"] = [rule.name for rule in schema.rules]
        print(json.dumps(line, default=str))


if __name__ == "__main__":
    main()
