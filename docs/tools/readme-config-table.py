#!/usr/bin/env python3
"""Rewrites the README's configuration table from ConfigKey.java (ConfigDocumentationTest checks it)."""
import pathlib
import re

root = pathlib.Path(__file__).resolve().parents[2]
source = (root / "shared/src/main/java/io/parley/shared/config/ConfigKey.java").read_text()
rows = re.findall(r'\n  [A-Z_0-9]+\("(PARLEY_[A-Z_0-9]+)", "([^"]*)", "([^"]*)"\)', source)
table = "| variable | default | meaning |\n|---|---|---|\n" + "".join(
    f"| `{env}` | {('`' + default + '`') if default else '(empty)'} | {meaning} |\n" for env, default, meaning in rows)
readme_path = root / "README.md"
readme = readme_path.read_text()
start = readme.index("| variable | default | meaning |")
end = readme.index("\n\n", start)
readme_path.write_text(readme[:start] + table.rstrip("\n") + readme[end:])
print(f"{len(rows)} settings written to README.md")
