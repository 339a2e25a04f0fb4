"""The package's shape, held to ARCHITECTURE.md: floors, no import circles, rooms of a readable size,
one registry of rule ids, and a code map that names every module.

The floors are read from the table between the ``floors`` markers of ARCHITECTURE.md, so the document
and the code cannot drift apart: moving a module, adding a part or importing upwards fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import iran_palestine_data as ipd
from iran_palestine_data import rulebook

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "iran_palestine_data"
NAME = "iran_palestine_data"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def part_of(module: str) -> str:
    """The part a module belongs to: the first name under the package (``validation``, ``graph`` ...)."""
    return module.split(".")[1] if module != NAME else NAME


def floors() -> dict[str, int]:
    """part -> floor, from the table between the floors markers of ARCHITECTURE.md."""
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = text.split("<!-- floors:start", 1)[1].split("<!-- floors:end", 1)[0]
    out = {}
    for line in block.splitlines():
        m = re.match(r"^\|\s*([0-9]+)\s*\|([^|]+)\|", line)
        if m:
            for part in re.findall(r"`([a-z_]+)`", m.group(2)):
                out[part] = int(m.group(1))
    assert out, "ARCHITECTURE.md has no floors table"
    return out


def _resolve(module: str, node: ast.ImportFrom) -> str:
    base = module.split(".")
    if MODULES.get(module, Path()).name != "__init__.py":
        base = base[:-1]  # a plain module's relative imports start from its package
    if node.level:
        base = base[: len(base) - (node.level - 1)]
        return ".".join(base + ([node.module] if node.module else []))
    return node.module or ""


def imports(module: str, *, top_level_only: bool) -> set[str]:
    """The package's modules that ``module`` imports (a name of a package is its module when it is one)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    nodes = []
    if top_level_only:
        for stmt in tree.body:  # module level, leaving out `if TYPE_CHECKING:` blocks, which never run
            if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test):
                continue
            nodes += [n for n in ast.walk(stmt) if isinstance(n, (ast.Import, ast.ImportFrom))]
    else:
        nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    out = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            target = _resolve(module, node)
            names = [f"{target}.{a.name}" if f"{target}.{a.name}" in MODULES else target for a in node.names]
        out |= {n for n in names if n in MODULES and n != module}
    return out


def test_every_part_has_a_floor():
    known = floors()
    missing = sorted({part_of(m) for m in MODULES if m != NAME} - set(known))
    assert not missing, f"parts with no floor in ARCHITECTURE.md: {missing}"
    gone = sorted(set(known) - {part_of(m) for m in MODULES})
    assert not gone, f"ARCHITECTURE.md gives a floor to parts that do not exist: {gone}"


def test_imports_only_go_down():
    """A part imports its own modules or parts on lower floors, never the same floor or above."""
    floor = floors()
    wrong = []
    for module in MODULES:
        if module == NAME:
            continue
        for target in imports(module, top_level_only=False):
            a, b = part_of(module), part_of(target)
            if target == NAME:
                wrong.append(f"{module} imports the package's face ({NAME}/__init__.py)")
            elif a != b and floor[b] >= floor[a]:
                wrong.append(f"{module} (floor {floor[a]}) imports {target} (floor {floor[b]})")
    assert not wrong, "imports against the floors of ARCHITECTURE.md:\n" + "\n".join(wrong)


def test_the_face_imports_nothing_at_import_time():
    """``import iran_palestine_data`` stays cheap: the API is bound on first use."""
    assert imports(NAME, top_level_only=False) == set()


def test_no_import_circle():
    graph = {m: imports(m, top_level_only=True) for m in MODULES}
    seen: dict[str, int] = {}  # 1 = on the current path, 2 = done
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in seen:
                visit(nxt, path + [nxt])
        seen[node] = 2

    for m in sorted(graph):
        if m not in seen:
            visit(m, [m])
    assert not cycles, "import circles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_rooms_are_of_a_readable_size():
    big = [
        f"{m}: {len(p.read_text().splitlines())} lines"
        for m, p in MODULES.items()
        if len(p.read_text().splitlines()) > MAX_MODULE_LINES
    ]
    long = []
    for m, p in MODULES.items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = node.end_lineno - node.lineno + 1
                if size > MAX_FUNCTION_LINES:
                    long.append(f"{m}.{node.name}: {size} lines")
    assert not big and not long, "\n".join(big + long)


def test_no_module_shares_a_name_with_a_public_function():
    """Importing such a submodule would overwrite the public function on its package."""
    public = {n for n in ipd.__all__ if n != "__version__"}
    clash = [m for m in MODULES if m.rsplit(".", 1)[-1] in public]
    assert not clash, clash


def test_each_subpackage_says_what_it_holds_and_may_import():
    for module, path in MODULES.items():
        if path.name == "__init__.py" and module != NAME:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            assert doc and "import" in doc, (
                f"{module}/__init__.py must say what it holds and what it may import"
            )


def test_the_code_map_names_every_module():
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for path in MODULES.values():
        if path.name != "__init__.py":
            rel = path.relative_to(PACKAGE).as_posix()
            assert f"`{rel}`" in text or f"`{path.name}`" in text, (
                f"ARCHITECTURE.md's code map does not name {rel}"
            )


# --- rule ids ---------------------------------------------------------------------------------------

_ISSUE_MAKERS = {"Issue": 1, "issue_at": 4}  # the position of the rule argument


def test_rule_ids_are_never_bare_strings():
    """Code names a rule through its rulebook constant, so a typo cannot make a new rule id."""
    bare = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in _ISSUE_MAKERS
            ):
                at = _ISSUE_MAKERS[node.func.id]
                arg = (
                    node.args[at]
                    if len(node.args) > at
                    else next((k.value for k in node.keywords if k.arg in ("rule", "rule_id")), None)
                )
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    bare.append(f"{module} line {node.lineno}: {arg.value!r}")
    assert not bare, "rule ids written as bare strings (use the rulebook constant):\n" + "\n".join(bare)


def test_every_registered_rule_is_used():
    used = set()
    for path in MODULES.values():
        used |= set(re.findall(r"\brule\.([A-Z][A-Z0-9_]+)\b", path.read_text(encoding="utf-8")))
    constants = {
        name
        for name in dir(rulebook)
        if name.isupper()
        and isinstance(getattr(rulebook, name), str)
        and getattr(rulebook, name) in rulebook.RULES
    }
    unused = sorted(constants - used)
    assert not unused, f"rules registered but never reported: {unused}"


def test_the_readme_lists_every_rule_from_the_rulebook():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- rules:start", 1)[1].split("-->", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert block.strip() == rulebook.markdown().strip(), (
        "README's rule list is stale: run `iran-palestine-data codebook`"
    )
