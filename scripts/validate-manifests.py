#!/usr/bin/env python3
"""Validates the Kubernetes manifests `marquee manifests` writes: the built-in kinds (Deployment,
Service, CronJob, …) with kubernetes-validate --strict against Kubernetes's own schemas, and the
custom resources it does not know (Seldon Core v2 Model, KServe InferenceService) against the JSON
schemas in deploy/schemas/, written from those projects' documented CRD fields.

    .venv-test/bin/python scripts/validate-manifests.py DIR_OR_FILE...

Prints one line per resource and exits 1 if any fails (0 when all pass).
"""
import json
import pathlib
import subprocess
import sys

import jsonschema
import referencing
import yaml

root = pathlib.Path(__file__).resolve().parent.parent
schemas = {}
registry = referencing.Registry()
for path in sorted((root / "deploy/schemas").glob("*.json")):
    schema = json.loads(path.read_text())
    registry = registry.with_resource(schema["$id"], referencing.Resource.from_contents(schema))
    schemas[schema["properties"]["kind"]["const"]] = schema

files = []
for argument in sys.argv[1:]:
    path = pathlib.Path(argument)
    files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
if not files:
    sys.exit("validate-manifests: no .yaml files given")

failed = 0
builtin = []
for path in files:
    for document in yaml.safe_load_all(path.read_text()):
        if document is None:
            continue
        kind = document.get("kind")
        if kind in schemas:
            validator = jsonschema.Draft202012Validator(schemas[kind], registry=registry)
            errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
            for error in errors:
                where = "/".join(str(p) for p in error.path) or "(root)"
                print(f"FAIL {path}: {kind} {where}: {error.message}")
            if errors:
                failed += 1
            else:
                print(f"ok   {path}: {kind} {document['metadata']['name']} (deploy/schemas)")
        else:
            builtin.append(str(path))
if builtin:
    tool = pathlib.Path(sys.executable).parent / "kubernetes-validate"
    result = subprocess.run([str(tool), "--strict", *sorted(set(builtin))], capture_output=True, text=True)
    for line in (result.stdout + result.stderr).splitlines():
        print(line)
        if line.startswith("WARN") and "Couldn't find schema" in line:
            failed += 1  # an unknown kind is not a pass
    if result.returncode != 0:
        failed += 1
sys.exit(1 if failed else 0)
