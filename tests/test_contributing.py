"""CONTRIBUTING.md stays true: its layer diagram is the layering test's table, and its op table
is what the registry holds (refresh it with ``python tools/op_table.py --write``)."""
import importlib.util
import pathlib
import re

from test_layering import LAYERS

ROOT = pathlib.Path(__file__).resolve().parents[1]
TEXT = (ROOT / "CONTRIBUTING.md").read_text()


def test_the_op_table_is_the_registrys():
    spec = importlib.util.spec_from_file_location("op_table", ROOT / "tools" / "op_table.py")
    op_table = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(op_table)
    start = TEXT.index(op_table.BEGIN) + len(op_table.BEGIN)
    assert TEXT[start:TEXT.index(op_table.END)] == "\n" + op_table.table(), \
        "the op table in CONTRIBUTING.md is out of date: run `python tools/op_table.py --write`"


def test_the_layer_diagram_is_the_layering_tests():
    top = max(LAYERS)
    diagram = TEXT[TEXT.index("```\n%2d" % top):]
    diagram = diagram[:diagram.index("```", 4)]
    rows = {int(m.group(1)): m.group(2) for m in re.finditer(r"^ ?(\d+)  (.*)$", diagram, re.M)}
    assert sorted(rows) == sorted(LAYERS)
    for layer, names in LAYERS.items():
        for name in names:
            assert re.search(r"\b%s\b" % re.escape(name), rows[layer]), "%s is not drawn in layer %d" % (name, layer)


def test_the_quoted_op_block_is_the_code():
    block = TEXT[TEXT.index("```python\n") + len("```python\n"):]
    block = block[:block.index("```")]
    assert block in (ROOT / "tinyflow" / "ops" / "math_ops.py").read_text(), \
        "CONTRIBUTING.md quotes tf.multiply's block as it no longer is in tinyflow/ops/math_ops.py"
