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


def write_fixture(path, text: str, max_bytes: int, note: str = "") -> int:
    """Writes `text` to `path` and reports its size; returns 1 (and warns) when it is over `max_bytes`."""
    import sys
    path.write_text(text)
    size = len(text.encode())
    print(f"wrote {path} ({note}{size / 1024:.1f} KiB)")
    if size > max_bytes:
        print(f"warning: {path.name} is larger than {max_bytes // 1024} KiB", file=sys.stderr)
        return 1
    return 0
