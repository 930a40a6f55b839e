"""The package is built in layers, each importing only those below it (CONTRIBUTING.md draws them).

* A module imports tinyflow modules only from lower layers, and only at module level.
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
import re

import pytest

from tinyflow.ops import FAMILIES

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "tinyflow"

LAYERS = {
    0: ["dtypes", "tensor_shape", "errors", "_proto", "traceback_utils", "datasets", "compat", "tf_logging",
        "flags", "not_provided", "config_pb2"],
    1: ["op_registry", "gfile", "app"],
    2: ["framework"],
    3: ["tensor_util", "op_def_library", "graph_def", "viz", "frames"],
    4: ["ops"],
    5: ["gradients", "session", "init_ops", "summary", "learning_rate_decay"],
    6: ["variables", "data", "losses", "test"],
    7: ["variable_scope", "saver"],
    8: ["layers", "feature_column", "train", "metrics", "rnn"],
    9: ["rnn_cell", "monitored_session"],
    10: ["nn"],
    11: ["__init__", "classroom"],
}
LAYER_OF = {name: layer for layer, names in LAYERS.items() for name in names}

LAZY_IMPORTS = {"graphviz", "importlib", "shutil", "socket", "tempfile", "traceback", "zipfile"}
MAX_FAMILY_LINES = 450
GRADIENT_HELPER = re.compile(r"(^|_)grad(_|$)|^unbroadcast$")   # _mul_grad, _max_min_grad, unbroadcast


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: pathlib.Path) -> str:
    """``ops/math_ops`` for tinyflow/ops/math_ops.py, ``__init__`` for tinyflow/__init__.py."""
    return str(path.relative_to(PACKAGE).with_suffix(""))


def _is_module(parts: "list[str]") -> bool:
    base = PACKAGE.joinpath(*parts) if parts else PACKAGE
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _module_level(tree: ast.Module):
    """Every node not inside a function body (imports in ``if``/``try``/``class`` blocks count)."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def _targets(path: pathlib.Path, node: ast.AST) -> "list[tuple[str, str, str | None]]":
    """What an import statement takes from tinyflow: (module, 'module' or 'names', alias)."""
    here = list(path.relative_to(PACKAGE).parent.parts)
    if isinstance(node, ast.Import):
        out = []
        for alias in node.names:
            parts = alias.name.split(".")
            if parts[0] == "tinyflow":
                out.append(("/".join(parts[1:]) or "__init__", "module", alias.asname))
        return out
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        base = here[:len(here) - (node.level - 1)]
    elif node.module and node.module.split(".")[0] == "tinyflow":
        base = []
    else:
        return []
    mod = [p for p in (node.module or "").split(".") if p]
    if not node.level:
        mod = mod[1:]
    parts = base + mod
    out = []
    for alias in node.names:
        if _is_module(parts + [alias.name]):                       # from . import array_ops
            out.append(("/".join(parts + [alias.name]), "module", alias.asname or alias.name))
        else:                                                     # from .framework import Tensor
            target = "/".join(parts) if parts else "__init__"
            if _is_module(parts) and (PACKAGE.joinpath(*parts) / "__init__.py").is_file():
                target += "/__init__"
            out.append((target, "names", None))
    return out


def _layer(module: str) -> int:
    return LAYER_OF[module.split("/")[0]]


def _family(module: str) -> "str | None":
    parts = module.split("/")
    return parts[1] if parts[0] == "ops" and len(parts) == 2 and parts[1] in FAMILIES else None


def test_every_module_has_a_layer():
    missing = sorted({_name(p).split("/")[0] for p in _modules()} - set(LAYER_OF))
    assert not missing, "give these modules a layer in LAYERS (and in CONTRIBUTING.md): %s" % missing


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_imports_go_down(path):
    me = _name(path)
    my_layer, my_family = _layer(me), _family(me)
    problems = []
    for node in _module_level(ast.parse(path.read_text())):
        for target, kind, _ in _targets(path, node):
            family = _family(target)
            if me == "ops/__init__" and family is not None:
                continue                                          # the package lists its families
            if my_family is not None and family is not None:
                if kind == "names":
                    problems.append("line %d imports names from the family %s: op families refer to each other "
                                    "as module objects (`from . import %s`)" % (node.lineno, family, family))
                continue
            if target.split("/")[0] == me.split("/")[0] and my_layer == 9:
                continue                                          # within the classroom package
            if _layer(target) >= my_layer:
                problems.append("line %d imports %s (layer %d) into layer %d"
                                % (node.lineno, target, _layer(target), my_layer))
    assert not problems, "\n".join(problems)


def _is_gradient_code(fn: ast.FunctionDef) -> bool:
    """A gradient rule (``@RegisterGradient``) or a helper of gradient rules (``_..._grad``,
    ``_grad_...``, ``unbroadcast``)."""
    for d in fn.decorator_list:
        if isinstance(d, ast.Call) and getattr(d.func, "id", None) == "RegisterGradient":
            return True
    return bool(GRADIENT_HELPER.search(fn.name))


@pytest.mark.parametrize("family", FAMILIES)
def test_forward_code_uses_only_lower_families(family):
    path = PACKAGE / "ops" / (family + ".py")
    tree = ast.parse(path.read_text())
    aliases = {}                                                  # local name -> family
    for node in _module_level(tree):
        for target, kind, alias in _targets(path, node):
            if kind == "module" and _family(target) is not None:
                aliases[alias or target.split("/")[-1]] = _family(target)
    rank = FAMILIES.index(family)
    problems = []

    def visit(node, in_gradient):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            in_gradient = in_gradient or _is_gradient_code(node)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            used = aliases[node.value.id]
            if FAMILIES.index(used) > rank and not in_gradient:
                problems.append("line %d: %s.%s (a family above %s) outside a gradient rule"
                                % (node.lineno, used, node.attr, family))
        for child in ast.iter_child_nodes(node):
            visit(child, in_gradient)

    visit(tree, False)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", _modules(), ids=_name)
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


@pytest.mark.parametrize("source, expected", [
    ("from tinyflow import session\n", r"\(layer 5\) into layer 0"),
    ("import tinyflow.train\n", r"\(layer 8\) into layer 0"),
    ("try:\n    from .session import Session\nexcept ImportError:\n    pass\n", r"\(layer 5\) into layer 0"),
    ("if True:\n    from . import framework\n", r"\(layer 2\) into layer 0"),
])
def test_the_check_sees_every_kind_of_import(monkeypatch, source, expected):
    """The test itself: an upward import written in any of these ways is caught."""
    fake = PACKAGE / "dtypes.py"
    monkeypatch.setattr(pathlib.Path, "read_text", lambda self, *a, **k: source if self == fake else
                        _read_text(self, *a, **k))
    with pytest.raises(AssertionError, match=expected):
        test_imports_go_down(fake)


def test_the_check_sees_names_and_aliases_between_families(monkeypatch):
    fake = PACKAGE / "ops" / "unary_ops.py"
    source = ("from tinyflow.ops.softmax_ops import softmax\nfrom . import nn_ops as _nn\n\n"
              "def broadcast_gradient_args(x):\n    return _nn.relu(x)\n")
    monkeypatch.setattr(pathlib.Path, "read_text", lambda self, *a, **k: source if self == fake else
                        _read_text(self, *a, **k))
    with pytest.raises(AssertionError, match="imports names from the family softmax_ops"):
        test_imports_go_down(fake)
    with pytest.raises(AssertionError, match="nn_ops.relu"):
        test_forward_code_uses_only_lower_families("unary_ops")


_read_text = pathlib.Path.read_text
