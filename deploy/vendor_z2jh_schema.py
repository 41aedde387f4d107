"""Cut the Zero to JupyterHub chart's values schema down to the keys deploy/config.yaml uses.

    python deploy/vendor_z2jh_schema.py PATH/TO/zero-to-jupyterhub-k8s/jupyterhub/values.schema.yaml \
        4.4.0 > tests/fixtures/z2jh_values_schema.json

Every object the config touches keeps its own rules (types, enums, additionalProperties,
patternProperties) and only the properties the config sets; everything else is dropped, and so
is ``required`` (the chart's values.yaml fills those in before Helm validates), except inside
``oneOf``/``anyOf`` alternatives, which are kept whole. Run it again
with the new chart's schema when the chart version in deploy/config.yaml changes, or when the
config sets a key it did not set before.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

CONFIG = Path(__file__).resolve().parent / "config.yaml"
KEEP = {"type", "enum", "additionalProperties", "patternProperties", "items", "minimum",
        "maximum", "pattern", "const"}


def without_descriptions(obj):
    if isinstance(obj, dict):
        return {k: without_descriptions(v) for k, v in obj.items() if k != "description"}
    if isinstance(obj, list):
        return [without_descriptions(v) for v in obj]
    return obj


def prune(schema: dict, value) -> dict:
    out = {k: v for k, v in schema.items() if k in KEEP}
    for k in ("oneOf", "anyOf", "allOf", "not"):  # alternatives are kept whole (with required)
        if k in schema:
            out[k] = without_descriptions(schema[k])
    if isinstance(value, dict) and "properties" in schema:
        props = {}
        for key, sub in value.items():
            if key in schema["properties"]:
                props[key] = prune(schema["properties"][key], sub)
        out["properties"] = props
    if isinstance(value, dict) and "patternProperties" in schema:
        # keys matched by a pattern (e.g. hub.config's class names): each keeps its rules
        out["patternProperties"] = {}
        for pattern, sub in schema["patternProperties"].items():
            matched = {}  # what the config sets under every key this pattern matches
            for key, sub_value in value.items():
                if re.search(pattern, key) and isinstance(sub_value, dict):
                    matched.update(sub_value)
            out["patternProperties"][pattern] = prune(sub, matched or None)
    for k in ("additionalProperties", "items"):
        if isinstance(out.get(k), dict):
            out[k] = prune(out[k], None)
    return out


def main(argv: list[str]) -> int:
    schema_path, chart_version = argv[1], argv[2]
    schema = yaml.safe_load(Path(schema_path).read_text(encoding="utf-8"))
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    pruned = prune(schema, config)
    pruned["$comment"] = (f"Zero to JupyterHub chart {chart_version}, jupyterhub/values.schema.yaml,"
                          " cut to the keys deploy/config.yaml sets by "
                          "deploy/vendor_z2jh_schema.py")
    pruned["$schema"] = schema.get("$schema")
    json.dump(pruned, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
