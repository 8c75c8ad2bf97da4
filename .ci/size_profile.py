#!/usr/bin/env python3
"""Where a wasm bundle's bytes go: `twiggy top -f json` of a build that keeps names
(wasm-opt -g), summed by crate, and by the app's module that a function was made for
(a generic function instantiated for a page's view type counts for that page).
Custom sections (names, debug info) are left out: they are not in the shipped bundle.
Usage: twiggy top -n 1000000 -f json named.wasm | python3 .ci/size_profile.py [N]"""
import json, re, sys
from collections import Counter

rows = json.load(sys.stdin)
n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
by_crate, by_app, total = Counter(), Counter(), 0
CRATE = re.compile(r'([A-Za-z_][A-Za-z0-9_]*)\[[0-9a-f]+\]::')
APP = re.compile(r'app\[[0-9a-f]+\]::([a-z_0-9]+)(?:::([a-z_0-9]+))?')

for r in rows:
    name, size = r['name'], r['shallow_size']
    if name.startswith('"') or name.startswith('custom section'):
        continue
    total += size
    if name.startswith('data'):
        by_crate['(data: strings, tables)'] += size
        continue
    m = CRATE.search(name)
    by_crate[m.group(1) if m else '(glue: tables, types, imports)'] += size
    a = APP.search(name)
    if a:
        top, sub = a.group(1), a.group(2)
        key = f'app::{top}::{sub}' if sub and top in ('pages', 'components', 'api', 'domain') else f'app::{top}'
        by_app[key] += size

print(f'code and data: {total} bytes')
print('| crate (first in the name) | bytes | share |\n|---|---:|---:|')
for c, s in by_crate.most_common(n):
    print(f'| {c} | {s} | {100 * s / total:.1f} % |')
print('\n| made for (app module) | bytes | share |\n|---|---:|---:|')
for c, s in by_app.most_common(n):
    print(f'| {c} | {s} | {100 * s / total:.1f} % |')
