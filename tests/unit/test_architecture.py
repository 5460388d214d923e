"""The house has three floors and its imports point one way: store <- handlers <- bot.

Every import is read from the source (inside functions and `if TYPE_CHECKING:` blocks too), so a
backward import or a cycle fails here before it can make the code hard to change.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLOORS = {"store": 1, "handlers": 2, "bot": 3}


def modules_under(root: Path) -> dict[str, str]:
    """Module name -> source, for every module of the three floors."""
    found = {}
    for package in FLOORS:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path.read_text(encoding="utf-8")
    return found


def import_graph(sources: Mapping[str, str]) -> dict[str, set[str]]:
    """Module -> the project modules it imports (a `from package import module` names the module)."""
    graph: dict[str, set[str]] = {name: set() for name in sources}
    for name, source in sources.items():
        is_package = name in {m.rpartition(".")[0] for m in sources if "." in m}
        for node in ast.walk(ast.parse(source)):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in sources else base for alias in node.names
                ]
            for target in targets:
                while target and target not in sources:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def backward_imports(graph: Mapping[str, Iterable[str]]) -> list[str]:
    floor = {name: FLOORS[name.split(".")[0]] for name in graph}
    return [
        f"{name} (floor {floor[name]}) imports {target} (floor {floor[target]})"
        for name, targets in sorted(graph.items())
        for target in sorted(targets)
        if floor[target] > floor[name]
    ]


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_imports_point_one_way_store_handlers_bot():
    graph = import_graph(modules_under(ROOT))
    assert {"store.summary", "handlers.blocks", "bot.app"} <= set(graph)
    assert backward_imports(graph) == []


def test_no_two_modules_import_each_other_in_a_loop():
    assert cycles(import_graph(modules_under(ROOT))) == []


def test_the_summary_and_its_arithmetic_need_no_database():
    graph = import_graph(modules_under(ROOT))
    pure = ["store.summary", "store.arithmetic", "store.numbers", "store.facts", "store.changes", "store.elections"]
    for name in pure:
        source = modules_under(ROOT)[name]
        assert "sqlalchemy" not in source, f"{name} reads the database"
        assert not {t for t in graph[name] if t in ("store.models", "store.db", "store.contests")}, name


def test_the_checks_catch_a_backward_import_and_a_cycle_even_under_type_checking():
    sources = {
        "store.a": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from handlers.b import B\n",
        "handlers.b": "def f():\n    from handlers import c\n",
        "handlers.c": "from handlers.b import f\n",
        "bot.d": "import store.a\n",
    }
    graph = import_graph(sources)
    assert backward_imports(graph) == ["store.a (floor 1) imports handlers.b (floor 2)"]
    assert cycles(graph) == [["handlers.b", "handlers.c"]]
