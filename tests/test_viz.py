"""Tests for tf.viz: the DOT text (no Graphviz needed), run-annotated values, determinism
across processes, and SVG rendering when Graphviz's `dot` program is installed."""

import os
import re
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tinyflow as tf
from tinyflow import viz

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HAVE_DOT = shutil.which("dot") is not None


def _model():
    """A small regression graph: placeholders, a variable in a scope, a loss, gradients."""
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        y_true = tf.placeholder(tf.float32, [None, 1], name="y")
        with tf.name_scope("dense"):
            w = tf.Variable(tf.random_uniform([3, 1]), name="kernel")
            b = tf.Variable(tf.zeros([1]), name="bias")
            y = tf.matmul(x, w) + b
        loss = tf.losses.mean_squared_error(y_true, y)
        grads = tf.gradients(loss, [w, b])
        init = tf.global_variables_initializer()
    return dict(g=g, x=x, y_true=y_true, w=w, b=b, y=y, loss=loss, grads=grads, init=init)


def _node_line(source, name):
    (line,) = [ln for ln in source.splitlines() if ln.strip().startswith('"%s" [' % name)]
    return line


def _edge_labels(source, tail, head):
    return re.findall(r'"%s" -> "%s" \[label="([^"]*)"\]' % (re.escape(tail), re.escape(head)), source)


def _cluster_parents(source):
    """{scope: enclosing scope or None}, read from the nesting of the DOT text."""
    stack, parents = [], {}
    for line in source.splitlines():
        opened = re.match(r'\s*subgraph "cluster_(.*)" \{$', line)
        if opened:
            parents[opened.group(1)] = stack[-1] if stack else None
            stack.append(opened.group(1))
        elif line.strip() == "}" and stack:
            stack.pop()
    return parents


# ----------------------------------------------------------------------------- structure
def test_scopes_become_nested_labelled_clusters():
    m = _model()
    src = tf.viz.draw(m["g"]).source
    assert src.startswith("digraph tinyflow {\n  graph [rankdir=TB")
    for scope, label in [("dense", "dense"), ("dense/kernel", "kernel"), ("gradients", "gradients"),
                         ("mean_squared_error", "mean_squared_error")]:
        assert 'subgraph "cluster_%s" {\n' % scope in src
        assert re.search(r'subgraph "cluster_%s" \{\n\s+graph \[label="%s"' % (re.escape(scope), label), src)
    parents = _cluster_parents(src)
    assert parents["dense"] is None and parents["dense/kernel"] == "dense"
    assert parents["gradients/dense"] == "gradients" and parents["gradients/dense/MatMul_grad"] == "gradients/dense"


def test_node_kinds_have_their_own_styles():
    m = _model()
    src = tf.viz.draw(m["g"]).source
    kinds = {"x": "placeholder", "dense/zeros": "constant", "dense/kernel": "variable",
             "dense/kernel/Assign": "variable_op", "dense/kernel/read": "variable_op",
             "dense/random_uniform/RandomUniform": "random", "dense/MatMul": "op",
             "gradients/dense/MatMul_grad/MatMul": "gradient"}
    for name, kind in kinds.items():
        op = m["g"].get_operation_by_name(name)
        assert viz.kind_of(op) == kind
        line = _node_line(src, name)
        assert 'fillcolor="%s"' % viz.KINDS[kind][1]["fillcolor"] in line
        assert 'label="%s\\n(%s)"' % (name.rpartition("/")[2], op.type) in line
    fills = {viz.KINDS[k][1]["fillcolor"] for k in viz.KINDS}
    assert len(fills) == len(viz.KINDS)                      # every kind is visibly different
    assert re.search(r'subgraph "cluster_gradients" \{\n\s+graph \[label="gradients", style="rounded,dashed", '
                     r'color="#cc0000"', src)


def test_edges_are_labelled_with_dtype_and_static_shape():
    m = _model()
    src = tf.viz.draw(m["g"]).source
    assert _edge_labels(src, "x", "dense/MatMul") == ["float32 (?, 3)"]
    assert _edge_labels(src, "dense/kernel/read", "dense/MatMul") == ["float32 (3, 1)"]
    assert _edge_labels(src, "dense/kernel", "dense/kernel/read") == ["float32_ref (3, 1)"]
    # an op with two outputs names the output it sends
    assert re.search(r'"gradients/[^"]*BroadcastGradientArgs" -> "[^"]*" \[label=":0 int32 \(\?,\)"\]', src)


def test_control_dependencies_are_dashed():
    with tf.Graph().as_default() as g:
        a = tf.constant(1.0, name="a")
        b = tf.constant(2.0, name="b")
        with tf.control_dependencies([a]):
            c = tf.identity(b, name="c")
    src = tf.viz.draw(g).source
    assert '"a" -> "c" [style=dashed];' in src
    assert _edge_labels(src, "b", "c") == ["float32 ()"]
    assert "dashed" not in src.split('"b" -> "c"')[1].splitlines()[0]
    part = tf.viz.draw(c).source                              # c's picture includes its control input
    assert part.count(" -> ") == 3 and '"a" -> "c" [style=dashed];' in part
    assert _edge_labels(part, "c", "c (output 0)") == ["float32 ()"]


def test_target_tensors_draw_only_what_feeds_them():
    m = _model()
    src = tf.viz.draw(m["y"]).source
    assert '"dense/MatMul" [' in src and '"x" [' in src
    assert "mean_squared_error" not in src and "gradients" not in src and '"y" [' not in src
    # the tensor asked for gets an edge of its own, so its dtype and shape are shown
    assert _edge_labels(src, "dense/add", "dense/add (output 0)") == ["float32 (?, 1)"]
    assert tf.viz.draw([m["y"], m["y_true"]]).source.count('"y" [') == 1


def test_collapse_draws_a_scope_as_one_box():
    m = _model()
    src = tf.viz.draw(m["g"], collapse=["gradients"]).source
    line = _node_line(src, "gradients/")
    n_grad = sum(op.name.startswith("gradients/") for op in m["g"].get_operations())
    assert 'shape="box3d"' in line and 'label="gradients/\\n(%d ops)"' % n_grad in line
    assert 'fillcolor="%s"' % viz.KINDS["gradient"][1]["fillcolor"] in line
    assert '"gradients/grad_ys_0"' not in src and "cluster_gradients" not in src
    assert re.search(r'"dense/MatMul" -> "gradients/" \[label="float32 \(\?, 1\)"\]', src)
    # nested scopes can be collapsed too; a trailing "/" is fine
    src = tf.viz.draw(m["g"], collapse=["dense/kernel/"]).source
    assert '"dense/kernel/" [' in src and "cluster_dense/kernel" not in src and "cluster_dense" in src
    with pytest.raises(ValueError, match="no name scope 'gradent' among the drawn ops. Top-level scopes: "
                                         "dense, mean_squared_error, gradients"):
        tf.viz.draw(m["g"], collapse=["gradent"])


def test_big_graphs_collapse_top_level_scopes_and_say_how_to_expand():
    with tf.Graph().as_default() as g:
        for scope, n in (("inputs", 50), ("layers", 400), ("gradients", 100)):
            with tf.name_scope(scope):
                for _ in range(n):
                    tf.constant(1.0)
    pic = tf.viz.draw(g)
    src = pic.source
    assert pic.note.startswith("550 ops (more than max_ops=500): top-level name scopes are drawn as boxes.")
    assert "expand=['layers']" in pic.note and "max_ops=None" in pic.note
    assert "label=\"550 ops (more than max_ops=500)" in src      # the note is printed in the picture
    assert [ln.split(" [")[0].strip() for ln in src.splitlines() if "box3d" in ln] == [
        '"inputs/"', '"layers/"', '"gradients/"']
    assert repr(pic) == "<tinyflow graph picture: 550 ops, scopes collapsed>"
    expanded = tf.viz.draw(g, expand=["inputs"]).source
    assert '"inputs/Const_49" [' in expanded and '"layers/" [' in expanded
    assert "box3d" not in tf.viz.draw(g, max_ops=None).source
    # too many ops outside any scope: the first max_ops are drawn, the note says so
    with tf.Graph().as_default() as flat:
        for _ in range(30):
            tf.constant(0)
    pic = tf.viz.draw(flat, max_ops=10)
    assert pic.source.count("(Const)") == 10 and "Only the first 10 of 30 boxes are drawn" in pic.note


# ----------------------------------------------------------------------------- values from a run
def test_run_annotated_values_including_a_gradient():
    m = _model()
    sess = tf.Session(graph=m["g"])
    sess.run(m["init"])
    w, b = sess.run([m["w"], m["b"]])
    feed = {m["x"]: [[1.0, 2.0, 3.0]], m["y_true"]: [[0.0]]}
    pic = tf.viz.draw(m["grads"], session=sess, feed_dict=feed)
    src = pic.source
    assert _edge_labels(src, "x", "dense/MatMul") == ["float32 (?, 3)\\n= [[1.0, 2.0, 3.0]]"]
    kernel = _edge_labels(src, "dense/kernel/read", "dense/MatMul")[0]
    assert kernel == "float32 (3, 1)\\n= [%s]" % ", ".join("[%.4g]" % v for v in w[:, 0])
    # d(loss)/d(bias) = 2 * (prediction - label) for one example
    expected = 2.0 * (np.dot([1.0, 2.0, 3.0], w[:, 0]) + b[0])
    (grad_label,) = [lbl for lbl in re.findall(r'-> "([^"]*) \(output 0\)" \[label="([^"]*)"\]', src)
                     if "bias" in lbl[0] or "add_grad/Reshape_1" in lbl[0]]
    assert grad_label[1] == "float32 (1,)\\n= [%s]" % viz.format_value(np.float32(expected))[2:]
    np.testing.assert_allclose(sess.run(m["grads"][1], feed), [expected], rtol=1e-5)


def test_run_skips_what_cannot_or_must_not_run():
    m = _model()
    g = m["g"]
    with g.as_default():
        bump = tf.assign_add(m["b"], [1.0], name="bump")
        uninitialized = tf.Variable(5.0, name="late")
        tf.multiply(uninitialized, 2.0, name="late_double")
    sess = tf.Session(graph=g)
    sess.run(m["init"])
    before = sess.run([m["w"], m["b"]])
    src = tf.viz.draw(g, session=sess).source                     # no feed_dict, nothing fed
    after = sess.run([m["w"], m["b"]])
    np.testing.assert_array_equal(before[0], after[0])           # initializers were not run again
    np.testing.assert_array_equal(before[1], after[1])           # nor was the assign_add
    assert _edge_labels(src, "x", "dense/MatMul") == ["float32 (?, 3)"]           # unfed: no value
    assert _edge_labels(src, "dense/MatMul", "dense/add") == ["float32 (?, 1)"]   # depends on it
    assert _edge_labels(src, "dense/bias/read", "dense/add")[0].startswith("float32 (1,)\\n= [")
    assert _edge_labels(src, "late", "late/read") == ["float32_ref ()"]            # uninitialized
    assert _edge_labels(src, "late/read", "late_double") == ["float32 ()"]
    assert _edge_labels(src, "late_double/y", "late_double") == ["float32 ()\\n= 2.0"]
    assert bump.op.name == "bump" and '"bump" -> ' not in src
    # a feed makes the placeholders' part computable
    src = tf.viz.draw(m["loss"], session=sess, feed_dict={"x:0": np.ones((4, 3)), m["y_true"]: np.zeros((4, 1))}).source
    assert _edge_labels(src, "x", "dense/MatMul") == ["float32 (?, 3)\\n= (4, 3) array, min 1.0, max 1.0"]
    assert re.search(r'"mean_squared_error/value \(output 0\)" \[label="float32 \(\)\\n= [0-9.]+"\]', src)
    # fetches_only limits the values shown
    src = tf.viz.draw(m["y"], session=sess, feed_dict={m["x"]: np.ones((1, 3))}, fetches_only=[m["x"]]).source
    assert _edge_labels(src, "x", "dense/MatMul") == ["float32 (?, 3)\\n= [[1.0, 1.0, 1.0]]"]
    assert _edge_labels(src, "dense/MatMul", "dense/add") == ["float32 (?, 1)"]
    with pytest.raises(ValueError, match="different graph"):
        tf.viz.draw(m["y"], session=tf.Session(graph=tf.Graph()))


@pytest.mark.parametrize("value, text", [
    (np.float32(7.0), "= 7.0"),
    (np.float32(3.14159265), "= 3.142"),
    (np.int32(-3), "= -3"),
    (np.array([True, False]), "= [True, False]"),
    (np.array([[1, 2], [3, 4]], np.int64), "= [[1, 2], [3, 4]]"),
    (np.array([1e-7, 123456.0], np.float32), "= [1e-07, 1.235e+05]"),
    (np.zeros((0, 3)), "= []"),
    (np.arange(12.0).reshape(3, 4), "= (3, 4) array, min 0.0, max 11.0"),
    (b"ab", "= b'ab'"),
    (np.array(b"\x0a\x04loss\x15\x00\x00\x80?", dtype=object), "= <11 bytes>"),
    (np.array([b"a"] * 7, dtype=object), "= (7,) array of strings"),
])
def test_format_value(value, text):
    assert viz.format_value(value) == text


# ----------------------------------------------------------------------------- determinism, display
_PROGRAM = textwrap.dedent("""
    import numpy as np
    import tinyflow as tf
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    with tf.name_scope("layer"):
        w = tf.Variable([[1.0], [2.0]], name="w")
        y = tf.matmul(x, w)
    loss = tf.reduce_mean(tf.square(y))
    grads = tf.gradients(loss, [w])
    with tf.control_dependencies([loss]):
        done = tf.no_op(name="done")
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    print(tf.viz.draw(session=sess, feed_dict={x: [[1.0, 2.0]]}).source)
    print(tf.viz.draw(collapse=["gradients"]).source)
    print(tf.get_default_graph().as_graph_def(add_shapes=True).SerializeToString().hex())
    import sys
    print("graphviz imported:", "graphviz" in sys.modules)
""")


def test_dot_is_byte_identical_across_processes():
    """Two interpreters with different hash seeds print the same bytes (run side by side)."""
    procs = [subprocess.Popen([sys.executable, "-c", _PROGRAM], stdout=subprocess.PIPE,
                              env=dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=ROOT)) for seed in ("1", "2")]
    outputs = [p.communicate()[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert outputs[0] == outputs[1]
    assert b"0x" not in outputs[0] and b"= 25.0" in outputs[0]
    # `import tinyflow` and building DOT text never load the graphviz package (only rendering does)
    assert outputs[0].endswith(b"graphviz imported: False\n")


def test_text_plain_is_fixed_and_without_addresses(monkeypatch, capsys):
    m = _model()
    pic = tf.viz.draw(m["g"])
    n = len(m["g"].get_operations())
    assert repr(pic) == "<tinyflow graph picture: %d ops>" % n
    # without the dot program: text only, and one message (per process) on how to install it
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(viz, "_install_hint_shown", False)
    assert pic._repr_mimebundle_() == {"text/plain": "<tinyflow graph picture: %d ops>" % n}
    assert m["g"]._repr_mimebundle_() == {"text/plain": "<tinyflow graph picture: %d ops>" % n}
    err = capsys.readouterr().err
    assert err.count("apt-get install graphviz") == 1 and "make lab" in err
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        pic.render("never.svg")
    assert "0x" not in repr(pic) and "0x" not in repr(viz.legend())


def test_legend_shows_every_kind():
    src = viz.legend().source
    for kind, (text, attrs) in viz.KINDS.items():
        assert '"%s" [' % kind in src and attrs["fillcolor"] in src
    assert "style=dashed" in src


def test_bad_arguments():
    with pytest.raises(ValueError, match="rankdir"):
        tf.viz.draw(tf.Graph(), rankdir="sideways")
    with pytest.raises(TypeError, match="not int"):
        tf.viz.draw(3)
    assert "rankdir=LR" in tf.viz.draw(tf.Graph(), rankdir="LR").source


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz's dot program is not installed")
def test_renders_svg_and_png_with_dot(tmp_path):
    m = _model()
    sess = tf.Session(graph=m["g"])
    sess.run(m["init"])
    pic = tf.viz.draw(m["loss"], session=sess, feed_dict={m["x"]: np.ones((2, 3)), m["y_true"]: np.zeros((2, 1))})
    bundle = pic._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/svg+xml"}
    svg = bundle["image/svg+xml"]
    assert "<svg" in svg and "cluster_dense" in svg and "mean_squared_error" in svg
    assert pic._repr_mimebundle_(include=["text/plain"]) == {"text/plain": bundle["text/plain"]}
    with tf.Graph().as_default() as small:
        tf.constant(1.0) + 2.0
    assert "image/svg+xml" in small._repr_mimebundle_()             # the hook on tf.Graph
    assert viz.legend().render(str(tmp_path / "legend.png")).endswith("legend.png")
    assert (tmp_path / "legend.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cond_branches_and_loop_frames():
    x = tf.placeholder(tf.float32, [], name="x")
    r = tf.cond(x > 0, lambda: x * 2.0, lambda: tf.log(x) + 1.0)
    source = tf.viz.draw(r).source
    assert 'subgraph "cluster_cond/true branch"' in source and 'subgraph "cluster_cond/false branch"' in source
    i, v = tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, v * x + 1.0), [0, 1.0])
    y = v * 2.0
    with tf.Session() as sess:
        collapsed = tf.viz.draw(y, session=sess, feed_dict={x: 3.0}).source
        opened = tf.viz.draw(y, session=sess, feed_dict={x: 3.0}, expand=["while"]).source
    # collapsed by default: one box with the loop's size and the iterations of the drawn run
    assert '"while/" [' in collapsed and "while loop, 22 ops\\nran 3 iterations" in collapsed
    assert '"while/Merge"' not in collapsed and "= 40.0" in collapsed       # the Exit's value leaves the box
    with tf.Session() as sess:                  # a result inside a collapsed loop: its edge leaves the box
        result = tf.viz.draw(v, session=sess, feed_dict={x: 3.0}).source
    assert '"while/" -> "while/Exit_1 (output 0)" [label="float32 ()\\n= 40.0"];' in result
    # expanded: the frame, and the back edges drawn apart
    assert 'label="while (while loop, ran 3 iterations)"' in opened
    assert '"while/NextIteration_1" -> "while/Merge_1" [label="next iteration: float32 ()", color="#e69138"' in opened


def test_collapse_patterns_and_side_by_side():
    x = tf.placeholder(tf.float32, [None, 3, 1], name="x")
    out, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(2), x, dtype=tf.float32)
    source = tf.viz.draw(state, collapse=["rnn/*"]).source
    for box in ["rnn/TensorArrayUnstack/", "rnn/BasicRNNCellZeroState/", "rnn/basic_rnn_cell/", "rnn/while/"]:
        assert '"%s"' % box in source, box
    opened = tf.viz.draw(out, collapse=["rnn/*"], expand=["rnn/while"]).source
    assert '"rnn/while/basic_rnn_cell/MatMul"' in opened and '"rnn/while/"' not in opened
    with pytest.raises(ValueError, match="no name scope among the drawn ops matches 'nothing/\\*'"):
        tf.viz.draw(state, collapse=["nothing/*"])
    pair = tf.viz.side_by_side(tf.viz.draw(state), tf.viz.draw(out), titles=["state", "outputs"])
    assert repr(pair) == "<tinyflow pictures side by side: state, outputs>"
    html = pair._repr_html_()
    assert html.count("<svg") == 2 and ">state</div>" in html and ">outputs</div>" in html
    with pytest.raises(ValueError, match="2 pictures and 1 titles"):
        tf.viz.side_by_side(tf.viz.draw(state), tf.viz.draw(out), titles=["one"])
