#!/usr/bin/python3
# schema-validate.py - validates many sockmem --json documents against the
# JSON Schema in one interpreter (schema.sh, schema-live.sh).
#   schema-validate.py SCHEMA LIST [--lint]
# LIST: one line per test point, "NAME<TAB>FILE<TAB>valid|invalid"; FILE holds
# one document or NDJSON (watch).  Prints "ok<TAB>NAME" or
# "not ok<TAB>NAME<TAB>WHY" per line of LIST.  --lint adds a point that every
# object of the schema is defined once ($defs/$ref, no copies).
# SPDX-License-Identifier: GPL-2.0-or-later
import collections
import json
import sys

import jsonschema


def documents(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not text.strip():
        raise ValueError("no document")
    try:
        return [json.loads(text)]
    except ValueError:
        # NDJSON: one document per line
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def first_error(validator, doc):
    errs = list(validator.iter_errors(doc))
    if not errs:
        return None
    best = jsonschema.exceptions.best_match(errs)
    return "%s: %s" % ("/".join(map(str, best.absolute_path)) or "(top)", best.message[:300])


def copies(schema):
    """Object schemas (with properties) that occur more than once."""
    seen = collections.defaultdict(list)

    def walk(node, path):
        if isinstance(node, dict):
            if "properties" in node:
                seen[json.dumps(node, sort_keys=True)].append(path)
            for k, v in node.items():
                walk(v, path + "/" + k)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, "%s/%d" % (path, i))

    walk(schema, "#")
    return [paths for paths in seen.values() if len(paths) > 1]


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.Draft202012Validator
    try:
        cls.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print("not ok\tthe schema is a valid draft 2020-12 schema\t%s" % e.message[:300])
        return
    validator = cls(schema)
    if "--lint" in sys.argv[3:]:
        dups = copies(schema)
        if dups:
            print("not ok\tevery object of the schema is defined once\t%s" %
                  "; ".join(" = ".join(p) for p in dups)[:600])
        else:
            print("ok\tevery object of the schema is defined once")
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            name, path, want = line.rstrip("\n").split("\t")
            try:
                docs = documents(path)
                why = next(filter(None, (first_error(validator, d) for d in docs)), None)
            except ValueError as e:
                docs, why = [], "not JSON: %s" % e
            if want == "invalid":
                good = docs and why is not None
                why = why or "accepted"
            else:
                good = why is None
            if good:
                print("ok\t%s" % name)
            else:
                print("not ok\t%s\t%s" % (name, why))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
