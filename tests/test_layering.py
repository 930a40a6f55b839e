"""The package is built in layers, each importing only those below it (CONTRIBUTING.md draws them).

* A module imports tinyflow modules only from lower layers, at the top of the file.
* Inside ``ops/`` the op families are ordered too (``tinyflow/ops/__init__.py``, ``FAMILIES``):
  they import each other only as module objects (``from . import array_ops``), and an op's
  forward code uses only the families below its own; a gradient rule may use any family
  (the one sideways reference allowed).
* Imports inside functions only for the few modules in ``LAZY_IMPORTS``, kept out of
  ``import tinyflow`` because most programs never need them.
* An op-family file stays under ``MAX_FAMILY_LINES`` lines.
"""
import ast
import pathlib

import pytest

from tinyflow.ops import FAMILIES

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "tinyflow"

LAYERS = {
    0: ["dtypes", "tensor_shape", "errors", "_proto", "traceback_utils", "datasets"],
    1: ["op_registry"],
    2: ["framework"],
    3: ["tensor_util", "op_def_library", "graph_def", "viz"],
    4: ["ops"],
    5: ["gradients", "session", "nn", "init_ops", "summary"],
    6: ["variables", "data", "losses", "test"],
    7: ["variable_scope", "saver"],
    8: ["layers", "feature_column", "train"],
    9: ["__init__", "classroom"],
}
LAYER_OF = {name: layer for layer, names in LAYERS.items() for name in names}

LAZY_IMPORTS = {"graphviz", "importlib", "shutil", "socket", "tempfile", "traceback", "zipfile"}
MAX_FAMILY_LINES = 450


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _top_name(path: pathlib.Path) -> str:
    """The layer entry of a file: its first path part under tinyflow/ (``ops``, ``classroom``, ...)."""
    rel = path.relative_to(PACKAGE)
    return rel.parts[0][:-3] if len(rel.parts) == 1 else rel.parts[0]


def _imported_modules(path: pathlib.Path, node: ast.ImportFrom) -> "list[str]":
    """The tinyflow modules an ``ImportFrom`` names, as paths under tinyflow/ (``ops/math_ops``)."""
    base = path.relative_to(PACKAGE).parent.parts
    if node.level:
        base = base[:len(base) - (node.level - 1)]
        target = list(base) + (node.module.split(".") if node.module else [])
    elif node.module and node.module.split(".")[0] == "tinyflow":
        target = node.module.split(".")[1:]
    else:
        return []
    if node.module is None or (node.level and not node.module):
        return ["/".join(target + [alias.name]) for alias in node.names]
    return ["/".join(target)]


def _layer(module_path: str) -> int:
    return LAYER_OF[module_path.split("/")[0]]


def _family(module_path: str) -> "str | None":
    parts = module_path.split("/")
    return parts[1] if parts[0] == "ops" and len(parts) > 1 and parts[1] in FAMILIES else None


def test_every_module_has_a_layer():
    missing = sorted({_top_name(p) for p in _modules()} - set(LAYER_OF))
    assert not missing, "give these modules a layer in LAYERS (and in CONTRIBUTING.md): %s" % missing


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_down(path):
    tree = ast.parse(path.read_text())
    me = str(path.relative_to(PACKAGE))[:-3]
    my_layer, my_family = _layer(me), _family(me)
    problems = []
    for node in tree.body:
        if not isinstance(node, ast.ImportFrom):
            continue
        for target in _imported_modules(path, node):
            if target.split("/")[0] not in LAYER_OF:
                continue
            family = _family(target)
            if my_family is not None and family is not None:
                if node.module not in (None, "") and node.level == 1:
                    problems.append("line %d imports names from the family %s: op families refer to each "
                                    "other as module objects (`from . import %s`)" % (node.lineno, family, family))
                continue
            if me == "ops/__init__" and family is not None:
                continue                  # the package lists its families
            if _layer(target) >= my_layer and not (my_layer == 9 and _layer(target) == 9 and target != me):
                problems.append("line %d imports %s (layer %d) into layer %d"
                                % (node.lineno, target, _layer(target), my_layer))
    assert not problems, "\n".join(problems)


def _is_gradient_code(fn: ast.FunctionDef) -> bool:
    """A gradient rule (``@RegisterGradient``) or a helper of gradient rules (``*_grad*``,
    ``unbroadcast``)."""
    for d in fn.decorator_list:
        if isinstance(d, ast.Call) and getattr(d.func, "id", None) == "RegisterGradient":
            return True
    return "_grad" in fn.name or fn.name == "unbroadcast"


@pytest.mark.parametrize("family", FAMILIES)
def test_forward_code_uses_only_lower_families(family):
    path = PACKAGE / "ops" / (family + ".py")
    tree = ast.parse(path.read_text())
    rank = FAMILIES.index(family)
    problems = []

    def visit(node, in_gradient):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_gradient = in_gradient or _is_gradient_code(node)
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in FAMILIES and FAMILIES.index(node.value.id) > rank and not in_gradient):
            problems.append("line %d: %s.%s (a family above %s) outside a gradient rule"
                            % (node.lineno, node.value.id, node.attr, family))
        for child in ast.iter_child_nodes(node):
            visit(child, in_gradient)

    visit(tree, False)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_inside_functions_are_only_the_lazy_ones(path):
    tree = ast.parse(path.read_text())
    problems = []
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = ["." * node.level + (node.module or "")]
            else:
                continue
            bad = [n for n in names if n not in LAZY_IMPORTS]
            if bad:
                problems.append("line %d in %s() imports %s" % (node.lineno, fn.name, ", ".join(bad)))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("family", FAMILIES)
def test_op_family_files_stay_short(family):
    lines = (PACKAGE / "ops" / (family + ".py")).read_text().count("\n")
    assert lines <= MAX_FAMILY_LINES, "ops/%s.py has %d lines: split the family" % (family, lines)


def test_the_family_list_is_every_file_in_ops():
    files = sorted(p.stem for p in (PACKAGE / "ops").glob("*.py") if p.stem != "__init__")
    assert files == sorted(FAMILIES)
