#!/usr/bin/env python3
"""Checks that every posflow.* setting is documented: each key named in application.properties or declared by a
@ConfigMapping interface must appear in docs/configuration.md, and the README's configuration index must name its
group (a list item "- `posflow.GROUP.*`: ...") and the key's own name in that item. Prints each key checked and
exits 1 on a gap.

Run from the repository root: python3 src/build/config-keys-documented.py
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROPERTIES = ROOT / "src/main/resources/application.properties"
REFERENCE = ROOT / "docs/configuration.md"
README = ROOT / "README.md"


def kebab(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


def keys_in_properties():
    # a key set, a profile's key (%dev.posflow...), a ${posflow...} reference, or one named in a comment; not a
    # class name such as dev.posflow.ingest.DecodingDeserializer
    text = PROPERTIES.read_text()
    return set(re.findall(r"(?<![\w.])posflow(?:\.[a-z][a-z0-9-]*)+(?![\w-])", text))


def keys_in_config_mappings():
    """posflow keys of every @ConfigMapping interface: PREFIX.group.member, one level of nested interfaces."""
    keys = set()
    for java in (ROOT / "src").rglob("*.java"):
        text = java.read_text()
        mapping = re.search(r'@ConfigMapping\(prefix\s*=\s*"([^"]+)"\)', text)
        if not mapping:
            continue
        prefix = mapping.group(1)
        # group accessors of the root interface: "Sampler sampler();"
        nested = {m.group(1): m.group(2) for m in re.finditer(r"^\s{4}(\w+)\s+(\w+)\(\);", text, re.M)}
        for body in re.finditer(r"^\s{4}interface (\w+) \{(.*?)^\s{4}\}", text, re.M | re.S):
            group = nested.get(body.group(1))
            if group is None:
                continue
            for member in re.finditer(r"^\s{8}[\w<>., ]+\s+(\w+)\(\);", body.group(2), re.M):
                keys.add(f"{prefix}.{kebab(group)}.{kebab(member.group(1))}")
    return keys


def index_entry(lines, group):
    """The README index's list item that starts with the group, with its continuation lines."""
    for i, line in enumerate(lines):
        if line.startswith(f"- {group}"):
            entry = [line]
            for more in lines[i + 1:]:
                if not more.startswith("  "):
                    break
                entry.append(more)
            return " ".join(entry)
    return None


def main():
    reference = REFERENCE.read_text()
    readme_lines = README.read_text().splitlines()
    from_properties = keys_in_properties()
    from_mappings = keys_in_config_mappings()
    if not from_mappings:
        print("no @ConfigMapping key found: the parser no longer matches the interfaces")
        return 1
    gaps = 0
    for key in sorted(from_properties | from_mappings):
        where = ("properties" if key in from_properties else "") + (
            "+mapping" if key in from_mappings else "")
        in_reference = f"`{key}`" in reference
        group, _, name = key.rpartition(".")
        index_line = index_entry(readme_lines, f"`{group}.*`")
        in_readme = index_line is not None and re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", index_line)
        ok = in_reference and in_readme
        gaps += not ok
        print(f"{'ok ' if ok else 'GAP'} {key} ({where.strip('+')})"
              + ("" if in_reference else " missing from docs/configuration.md")
              + ("" if in_readme else f" missing from the README's `{group}.*` item"))
    print(f"{len(from_properties | from_mappings)} keys ({len(from_properties)} in application.properties, "
          f"{len(from_mappings)} from @ConfigMapping), {gaps} undocumented")
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
