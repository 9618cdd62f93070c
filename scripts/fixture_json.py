"""Shared by the fixture generators: JSON written one line per data row.

Readable, diff-friendly and compact: objects and lists of lists are spread
over lines, lists of plain values stay on one line.
"""
import json


def dump(obj, indent: int = 0) -> str:
    pad = "  " * indent
    if isinstance(obj, dict):
        items = [f'{pad}  {json.dumps(k)}: {dump(v, indent + 1).lstrip()}' for k, v in obj.items()]
        return pad + "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (list, dict)) for v in obj):
            return pad + json.dumps(obj, separators=(",", ":"))
        items = [dump(v, indent + 1) for v in obj]
        return pad + "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return pad + json.dumps(obj)
