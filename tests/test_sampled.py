"""Candidate samplers and the sampled losses: tf.nn.uniform_candidate_sampler,
log_uniform_candidate_sampler, fixed_unigram_candidate_sampler, compute_accidental_hits, nce_loss and
sampled_softmax_loss (names, shapes, the expected-count formulas, the sampling distributions, seeds,
errors, values against numpy and TensorFlow, gradients, a small training run)."""
import numpy as np
import pytest

import tinyflow as tf
from catalogue_math import accidental_hits_reference, log_uniform_p, sampled_loss_reference
from op_catalogue import check_gradients

SAMPLERS = {
    "uniform": lambda c, nt, n, u, r, **kw: tf.nn.uniform_candidate_sampler(c, nt, n, u, r, **kw),
    "log_uniform": lambda c, nt, n, u, r, **kw: tf.nn.log_uniform_candidate_sampler(c, nt, n, u, r, **kw),
    "fixed_unigram": lambda c, nt, n, u, r, **kw: tf.nn.fixed_unigram_candidate_sampler(
        c, nt, n, u, r, unigrams=list(range(1, r + 1)), **kw),
}


def probability(kind, k, range_max):
    """P(k) of each sampler (the fixed unigram sampler above has weights 1, 2, ..., range_max)."""
    k = np.asarray(k, np.float64)
    if kind == "uniform":
        return np.full(k.shape, 1.0 / range_max)
    if kind == "log_uniform":
        return log_uniform_p(k, range_max)
    return (k + 1) / (range_max * (range_max + 1) / 2)


# --------------------------------------------------------------------------------------------
# The samplers
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind,op_type", [("uniform", "UniformCandidateSampler"),
                                          ("log_uniform", "LogUniformCandidateSampler"),
                                          ("fixed_unigram", "FixedUnigramCandidateSampler")])
def test_sampler_outputs_names_shapes_and_dtypes(kind, op_type):
    result = SAMPLERS[kind](tf.constant([[1, 2], [3, 4], [0, 0]], tf.int64), 2, 5, True, 10)
    assert type(result).__name__ == op_type
    assert result._fields == ("sampled_candidates", "true_expected_count", "sampled_expected_count")
    assert [t.name for t in result] == ["%s:%d" % (op_type, i) for i in range(3)]
    assert [t.dtype for t in result] == [tf.int64, tf.float32, tf.float32]
    assert [t.shape.as_list() for t in result] == [[5], [3, 2], [5]]
    assert result[0].op.attrs["seed"] is None and result[0].op.attrs["range_max"] == 10
    with tf.Session() as sess:
        ids, true_count, sampled_count = sess.run(result)
    assert ids.dtype == np.int64 and ids.shape == (5,)
    assert true_count.dtype == np.float32 and true_count.shape == (3, 2) and sampled_count.shape == (5,)
    unknown = SAMPLERS[kind](tf.placeholder(tf.int64, [None, None]), 2, 5, False, 10, name="s")
    assert [t.shape.as_list() for t in unknown] == [[5], [None, 2], [5]] and unknown[0].op.name == "s"


def test_the_samplers_are_in_tf_random_too():
    for name in ("uniform_candidate_sampler", "log_uniform_candidate_sampler", "fixed_unigram_candidate_sampler"):
        assert getattr(tf.random, name) is getattr(tf.nn, name)
        assert name in dir(tf.random) and name in dir(tf.nn)


def test_python_class_ids_become_int64_and_numpy_unigrams_are_a_list():
    s = tf.nn.fixed_unigram_candidate_sampler([[1], [2]], 1, 2, False, 3, unigrams=np.array([1.0, 2.0, 1.0]))
    assert s[0].op.inputs[0].name == "FixedUnigramCandidateSampler/true_classes:0"
    assert s[0].op.inputs[0].dtype == tf.int64 and s[0].op.attrs["unigrams"] == (1.0, 2.0, 1.0)


@pytest.mark.parametrize("kind", sorted(SAMPLERS))
def test_unique_ids_are_distinct_and_in_range(kind):
    s = SAMPLERS[kind]([[0]], 1, 8, True, 10, seed=3)
    with tf.Session() as sess:
        for _ in range(20):
            ids = sess.run(s.sampled_candidates)
            assert len(set(ids.tolist())) == 8 and ids.min() >= 0 and ids.max() < 10
    every = SAMPLERS[kind]([[0]], 1, 10, True, 10, seed=3)          # num_sampled == range_max: all ids
    many = SAMPLERS[kind]([[0]], 1, 50, False, 4, seed=3)           # with replacement: more ids than classes
    with tf.Session() as sess:
        assert sorted(sess.run(every.sampled_candidates).tolist()) == list(range(10))
        ids = sess.run(many.sampled_candidates)
    assert ids.shape == (50,) and set(ids.tolist()) <= {0, 1, 2, 3}


def _tries(p, count):
    """num_tries from an expected count of unique sampling, 1 - (1 - p)^num_tries."""
    return np.log1p(-count.astype(np.float64)) / np.log1p(-p)


@pytest.mark.parametrize("kind", sorted(SAMPLERS))
def test_expected_counts_are_the_formulas(kind):
    classes = np.array([[0, 3], [9, 1], [4, 4]])
    replaced = SAMPLERS[kind](classes, 2, 6, False, 10, seed=1)
    unique = SAMPLERS[kind](classes, 2, 6, True, 10, seed=1)
    with tf.Session() as sess:
        for _ in range(5):
            ids, true_count, sampled_count = sess.run(replaced)
            # with replacement: P(k) * num_sampled
            np.testing.assert_allclose(true_count, probability(kind, classes, 10) * 6, rtol=1e-6)
            np.testing.assert_allclose(sampled_count, probability(kind, ids, 10) * 6, rtol=1e-6)
            # unique: 1 - (1 - P(k))^num_tries, one num_tries for every id (or P(k) * 6 if nothing was rejected)
            ids, true_count, sampled_count = sess.run(unique)
            p_true, p_sampled = probability(kind, classes, 10), probability(kind, ids, 10)
            tries = np.rint(_tries(p_sampled[:1], sampled_count[:1]))[0]
            if np.allclose(sampled_count, p_sampled * 6):
                tries = 6
            assert tries >= 6
            expected = (lambda p: p * 6) if tries == 6 else (lambda p: -np.expm1(tries * np.log1p(-p)))
            np.testing.assert_allclose(true_count, expected(p_true), rtol=1e-5)
            np.testing.assert_allclose(sampled_count, expected(p_sampled), rtol=1e-5)


def test_unique_sampling_that_rejects_nothing_gives_p_times_num_sampled():
    # From 10**9 classes, 5 distinct ids come up in 5 draws: no rejection, so P(k) * 5 (TensorFlow's shortcut).
    s = tf.nn.uniform_candidate_sampler([[7]], 1, 5, True, 10 ** 9, seed=2)
    with tf.Session() as sess:
        _, true_count, sampled_count = sess.run(s)
    np.testing.assert_allclose(true_count, [[5e-9]], rtol=1e-6)
    np.testing.assert_allclose(sampled_count, np.full(5, 5e-9), rtol=1e-6)


def test_unique_uniform_sampling_of_every_id_and_one_rejection():
    # All 3 ids of 3: num_tries draws; each expected count is 1 - (2/3)^num_tries.
    s = tf.nn.uniform_candidate_sampler([[0, 1, 2]], 3, 3, True, 3, seed=5)
    with tf.Session() as sess:
        counts = [sess.run(s.sampled_expected_count) for _ in range(30)]
    tries = [np.rint(_tries(1 / 3, c[:1]))[0] if not np.allclose(c, 1.0) else 3 for c in counts]
    for c, t in zip(counts, tries):
        np.testing.assert_allclose(c, 1 - (2 / 3) ** t if t > 3 else 1.0, rtol=1e-5)
    assert max(tries) > 3                           # some draws were rejected


def test_log_uniform_values_match_tensorflow():
    s = tf.nn.log_uniform_candidate_sampler(tf.constant([[1, 2], [3, 4]], tf.int64), 2, 5, False, 10)
    with tf.Session() as sess:
        true_count = sess.run(s.true_expected_count)
    # TF 2.21 compat.v1: log_uniform_candidate_sampler([[1, 2], [3, 4]], 2, 5, False, 10).true_expected_count
    np.testing.assert_allclose(true_count, [[0.8454604, 0.5998637], [0.46529043, 0.38017]], rtol=1e-6)


@pytest.mark.parametrize("kind", ["log_uniform", "fixed_unigram"])
def test_empirical_frequencies_match_the_distribution(kind):
    n, range_max = 40000, 12
    s = SAMPLERS[kind]([[0]], 1, n, False, range_max, seed=11)
    with tf.Session() as sess:
        ids = sess.run(s.sampled_candidates)
    frequency = np.bincount(ids, minlength=range_max) / n
    p = probability(kind, np.arange(range_max), range_max)
    # each frequency's standard deviation is sqrt(p (1 - p) / n) < 0.0025: 4 of them is loose
    assert np.all(np.abs(frequency - p) < 4 * np.sqrt(p * (1 - p) / n)), (frequency, p)


def test_fixed_unigram_distortion_reserved_ids_and_shards():
    unigrams = [4.0, 1.0, 9.0, 16.0]
    distorted = tf.nn.fixed_unigram_candidate_sampler([[0, 2]], 2, 3, False, 4, unigrams=unigrams, distortion=0.5)
    reserved = tf.nn.fixed_unigram_candidate_sampler([[0, 3]], 2, 3, False, 6, unigrams=unigrams, num_reserved_ids=2)
    # Two shards, shard 1: of the reserved ids 0, 1 the odd one is kept (weight 0); the unigrams are then numbered
    # from 1 (the number of ids kept so far, as TensorFlow does), so the odd ones 1 and 3 (4.0 and 9.0) are kept.
    shard = tf.nn.fixed_unigram_candidate_sampler([[0, 1, 2]], 3, 2, False, 3, unigrams=unigrams,
                                                  num_reserved_ids=2, num_shards=2, shard=1)
    with tf.Session() as sess:
        d, r, (ids, sh, _) = sess.run([distorted.true_expected_count, reserved.true_expected_count, shard])
    np.testing.assert_allclose(d, [[2 / 10 * 3, 3 / 10 * 3]], rtol=1e-6)            # sqrt: 2, 1, 3, 4
    np.testing.assert_allclose(r, [[0.0, 1 / 30 * 3]], rtol=1e-6)
    # TF 2.21 compat.v1: the three true_expected_counts above
    for got, tf_value in zip([d, r, sh], [[[0.6, 0.90000004]], [[0.0, 0.10000001]], [[0.0, 0.61538464, 1.3846154]]]):
        np.testing.assert_allclose(got, tf_value, rtol=1e-6)
    assert set(ids.tolist()) <= {1, 2}


def test_seeds_repeat_and_every_run_draws_anew():
    def draws(graph_seed, op_seed, runs=3):
        with tf.Graph().as_default():
            if graph_seed is not None:
                tf.set_random_seed(graph_seed)
            s = tf.nn.log_uniform_candidate_sampler([[1]], 1, 6, True, 10 ** 6, seed=op_seed)
            with tf.Session() as sess:
                return [sess.run(s.sampled_candidates).tolist() for _ in range(runs)]
    first = draws(None, 7)
    assert first == draws(None, 7)                      # the same op seed: the same ids
    assert first[0] != first[1] != first[2]             # each run draws anew
    assert draws(1, None) == draws(1, None) != draws(2, None)
    assert draws(None, 7) != draws(None, 8)
    assert draws(None, None, 1) != draws(None, None, 1)   # no seed: new ids in every session


def test_one_draw_within_a_run():
    s = tf.nn.uniform_candidate_sampler([[1]], 1, 4, True, 1000)
    with tf.Session() as sess:
        a, b = sess.run([s.sampled_candidates, tf.identity(s.sampled_candidates)])
    np.testing.assert_array_equal(a, b)


def test_no_gradient_flows_through_the_samplers():
    classes = tf.constant([[1]], tf.int64)
    for s in (tf.nn.uniform_candidate_sampler(classes, 1, 2, True, 5),
              tf.nn.log_uniform_candidate_sampler(classes, 1, 2, True, 5),
              tf.nn.fixed_unigram_candidate_sampler(classes, 1, 2, True, 5, unigrams=[1, 1, 1, 1, 1])):
        assert tf.gradients(s.true_expected_count, classes) == [None]
    hits = tf.nn.compute_accidental_hits(classes, tf.constant([1, 2], tf.int64), 1)
    assert tf.gradients(hits.weights, classes) == [None]


# --------------------------------------------------------------------------------------------
# Accidental hits
# --------------------------------------------------------------------------------------------
def test_accidental_hits_match_tensorflow():
    true_classes = tf.constant([[1, 2], [3, 4]], tf.int64)
    h = tf.nn.compute_accidental_hits(true_classes, tf.constant([3, 1, 7, 1], tf.int64), 2)
    assert type(h).__name__ == "ComputeAccidentalHits" and h._fields == ("indices", "ids", "weights")
    assert [t.dtype for t in h] == [tf.int32, tf.int64, tf.float32] and h.ids.shape.as_list() == [None]
    with tf.Session() as sess:
        indices, ids, weights = sess.run(h)
    # TF 2.21 compat.v1: compute_accidental_hits([[1, 2], [3, 4]], [3, 1, 7, 1], 2); 1 is sampled twice: its last place
    np.testing.assert_array_equal(indices, np.array([0, 1], np.int32))
    np.testing.assert_array_equal(ids, np.array([3, 0], np.int64))
    np.testing.assert_array_equal(weights, np.array([-3.4028235e+38, -3.4028235e+38], np.float32))
    assert indices.dtype == np.int32 and ids.dtype == np.int64 and weights.dtype == np.float32


def test_accidental_hits_many_and_none():
    rng = np.random.RandomState(0)
    labels, sampled = rng.randint(0, 8, size=(30, 3)), rng.randint(0, 8, size=6)
    h = tf.nn.compute_accidental_hits(labels, sampled, 3)
    none = tf.nn.compute_accidental_hits([[1, 2]], np.array([5, 6]), 2)
    empty = tf.nn.compute_accidental_hits(np.zeros((2, 1), np.int64), np.zeros(0, np.int64), 1)
    with tf.Session() as sess:
        (indices, ids, _), n, e = sess.run([h, none, empty])
    np.testing.assert_array_equal(np.stack([indices, ids], 1), accidental_hits_reference(labels, sampled))
    assert [a.shape for a in n] == [(0,)] * 3 and [a.shape for a in e] == [(0,)] * 3


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------
def _run(t):
    with tf.Session() as sess:
        return sess.run(t)


def test_errors_while_building():
    with pytest.raises(TypeError, match=r"^Input 'true_classes' of 'UniformCandidateSampler' Op has type int32 that "
                                        r"does not match expected type of int64\.\nFix: .*tf\.cast"):
        tf.nn.uniform_candidate_sampler(tf.constant([[1, 2]]), 2, 5, True, 10)
    with pytest.raises(ValueError, match=r"^Shape must be rank 2 but is rank 1 for 'LogUniformCandidateSampler' .*"
                                         r"input shapes: \[2\]\.\nFix: .*tf\.expand_dims"):
        tf.nn.log_uniform_candidate_sampler(tf.constant([1, 2], tf.int64), 2, 5, True, 10)
    with pytest.raises(ValueError, match=r"^Attr 'num_sampled' of 'UniformCandidateSampler' Op passed 0 less than "
                                         r"minimum 1\.\nFix: "):
        tf.nn.uniform_candidate_sampler([[1]], 1, 0, True, 10)
    with pytest.raises(ValueError, match=r"^Value out of range: 10+\nFix: "):
        tf.nn.uniform_candidate_sampler([[1]], 1, 2, True, 10 ** 30)
    with pytest.raises(TypeError, match=r"^Expected bool for argument 'unique' not 'abc'\."):
        tf.nn.uniform_candidate_sampler([[1]], 1, 2, "abc", 10)
    with pytest.raises(TypeError, match=r"^Expected float for argument 'unigrams' not 'a'\."):
        tf.nn.fixed_unigram_candidate_sampler([[1]], 1, 2, True, 2, unigrams=[1.0, "a"])
    with pytest.raises(NotImplementedError, match="unigrams="):
        tf.nn.fixed_unigram_candidate_sampler([[1]], 1, 2, True, 2, vocab_file="vocab.txt")
    with pytest.raises(ValueError, match=r"^Dimension must be 3 but is 2 for 'ComputeAccidentalHits'"):
        tf.nn.compute_accidental_hits(tf.constant([[1, 2]], tf.int64), tf.constant([1], tf.int64), 3)
    with pytest.raises(ValueError, match=r"^Shape must be rank 1 but is rank 2 for 'ComputeAccidentalHits_1'"):
        tf.nn.compute_accidental_hits(tf.constant([[1, 2]], tf.int64), tf.constant([[1]], tf.int64), 2)
    with pytest.raises(TypeError, match=r"^Input 'sampled_candidates' of 'ComputeAccidentalHits' Op has type int32"):
        tf.nn.compute_accidental_hits(tf.constant([[1, 2]], tf.int64), tf.constant([1]), 2)


@pytest.mark.parametrize("make,first_line", [
    (lambda: tf.nn.uniform_candidate_sampler([[1, 2]], 2, 11, True, 10), "Sampler's range is too small."),
    (lambda: tf.nn.fixed_unigram_candidate_sampler([[1]], 1, 4, True, 5, unigrams=[0, 0, 3, 4, 5]),
     "Sampler's range is too small."),
    (lambda: tf.nn.uniform_candidate_sampler([[1, 2]], 3, 5, True, 10),
     "true_classes must have num_true columns, expected: 2 was: 3"),
    (lambda: tf.nn.log_uniform_candidate_sampler([[1, 12]], 2, 3, False, 5),
     "`true_candidate` out of range [0, 5), received 12"),
    (lambda: tf.nn.uniform_candidate_sampler(tf.placeholder_with_default(np.array([1, 2]), None), 2, 3, False, 5),
     "true_classes must be a matrix"),
    (lambda: tf.nn.fixed_unigram_candidate_sampler([[1, 2]], 2, 3, True, 4, unigrams=[1, 2, 3, 4, 5]),
     "range is 4 must be equal to weights size  5"),
    (lambda: tf.nn.fixed_unigram_candidate_sampler([[1, 2]], 2, 3, True, 5),
     "Must provide either vocab_file or unigrams."),
    (lambda: tf.nn.fixed_unigram_candidate_sampler([[1, 2]], 2, 3, True, 3, unigrams=[1, -2, 3]),
     "unigrams must be non-negative numbers, not all 0, got (1.0, -2.0, 3.0)"),
    (lambda: tf.nn.fixed_unigram_candidate_sampler([[1]], 1, 2, True, 3, unigrams=[1, 2, 3], distortion=1e4),
     "the weights unigrams ** distortion (distortion 10000) are not all finite"),
    (lambda: tf.nn.fixed_unigram_candidate_sampler([[1]], 1, 2, True, 2, unigrams=[1.0, 1e-300]),
     "Could not draw 2 distinct ids in 2147483647 tries"),        # TF: a crash after 2**31 - 1 draws
    (lambda: tf.nn.compute_accidental_hits(tf.placeholder_with_default(np.array([[1, 2]]), [None, None]), [1], 3),
     "true_candidates must be a batch_size * num_true matrix"),
    (lambda: tf.nn.compute_accidental_hits([[1, 2]], tf.placeholder_with_default(np.array([[1]]), None), 2),
     "sampled_candidates must be a vector, which is typically an output from CandidateSampler"),
])
def test_errors_while_running_are_tensorflows(make, first_line):
    # TF 2.21 compat.v1 raises InvalidArgumentError with these first lines (the unigram checks: tinyflow's own)
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        _run(make())
    assert e.value.message.startswith(first_line + "\n") and "\nFix: " in e.value.message


# --------------------------------------------------------------------------------------------
# nce_loss, sampled_softmax_loss
# --------------------------------------------------------------------------------------------
W = (np.arange(18, dtype=np.float32).reshape(6, 3) % 7 - 3) / 4
B = np.array([0.1, -0.2, 0.3, 0.0, -0.1, 0.2], np.float32)
X = np.array([[0.5, -1.0, 0.25], [1.5, 0.5, -0.5], [-0.75, 0.25, 1.0]], np.float32)
LABELS = {1: np.array([[1], [4], [0]]), 2: np.array([[1, 2], [4, 0], [0, 5]])}
SAMPLED = np.array([0, 2, 5, 3])
TRUE_Q = {1: np.array([[0.3], [0.2], [0.5]], np.float32), 2: np.array([[0.3, 0.4], [0.2, 0.5], [0.5, 0.1]], np.float32)}
SAMPLED_Q = np.array([0.5, 0.4, 0.1, 0.2], np.float32)

# TF 2.21 compat.v1: tf.nn.nce_loss / tf.nn.sampled_softmax_loss(W, B, LABELS[num_true], X, 4, 6, num_true,
# sampled_values=(SAMPLED, TRUE_Q[num_true], SAMPLED_Q), remove_accidental_hits=...)
TF_LOSSES = {
    ("nce", 1, False): [8.19809341430664, 6.059818267822266, 7.335732936859131],
    ("nce", 1, True): [8.19809341430664, 6.059818267822266, 6.036581993103027],
    ("nce", 2, False): [9.849194526672363, 8.283550262451172, 9.291772842407227],
    ("nce", 2, True): [7.5294342041015625, 7.792963981628418, 5.119363307952881],
    ("softmax", 1, False): [2.550023078918457, 0.6335737705230713, 2.4448513984680176],
    ("softmax", 1, True): [2.550023078918457, 0.6335737705230713, 2.3541176319122314],
    ("softmax", 2, False): [2.1417200565338135, 2.3831584453582764, 1.9614429473876953],
    ("softmax", 2, True): [1.881364107131958, 2.3667192459106445, 1.4368988275527954],
}
LOSSES = {"nce": tf.nn.nce_loss, "softmax": tf.nn.sampled_softmax_loss}


@pytest.mark.parametrize("kind,num_true,remove", sorted(TF_LOSSES))
def test_sampled_losses_with_fixed_samples_are_tensorflows_and_numpys(kind, num_true, remove):
    values = (tf.constant(SAMPLED), tf.constant(TRUE_Q[num_true]), tf.constant(SAMPLED_Q))
    loss = LOSSES[kind](tf.constant(W), tf.constant(B), LABELS[num_true], tf.constant(X), 4, 6, num_true=num_true,
                        sampled_values=values, remove_accidental_hits=remove)
    assert loss.shape.as_list() == [3] and loss.dtype == tf.float32
    got = _run(loss)
    np.testing.assert_allclose(got, TF_LOSSES[kind, num_true, remove], rtol=2e-6)
    np.testing.assert_allclose(got, sampled_loss_reference(kind, W.astype(np.float64), B, X.astype(np.float64),
                                                           LABELS[num_true], SAMPLED, TRUE_Q[num_true], SAMPLED_Q,
                                                           remove), rtol=1e-5)


def test_sampled_loss_graphs_have_tensorflows_names():
    w, b = tf.Variable(W, name="w"), tf.Variable(B, name="b")
    x = tf.placeholder(tf.float32, [None, 3])
    nce = tf.nn.nce_loss(w, b, tf.constant([[1], [2]]), x, 4, 6)
    softmax = tf.nn.sampled_softmax_loss([w], b, tf.constant([[1], [2]], tf.int64), x, 4, 6)
    # TF 2.21 compat.v1: the same graph's names
    assert nce.name == "Reshape:0" and softmax.name == "softmax_cross_entropy_with_logits/Reshape_2:0"
    names = {op.name: op.type for op in tf.get_default_graph().get_operations()}
    for name, op_type in [("nce_loss/Cast", "Cast"), ("nce_loss/LogUniformCandidateSampler",
                                                      "LogUniformCandidateSampler"),
                          ("nce_loss/StopGradient_2", "StopGradient"), ("nce_loss/embedding_lookup", "GatherV2"),
                          ("nce_loss/embedding_lookup_1/Identity", "Identity"), ("nce_loss/MatMul", "MatMul"),
                          ("nce_loss/Log_1", "Log"), ("nce_loss/concat_4", "ConcatV2"),
                          ("sampled_losses/Log1p", "Log1p"),
                          ("sampled_softmax_loss/ComputeAccidentalHits", "ComputeAccidentalHits"),
                          ("sampled_softmax_loss/add_2", "AddV2"), ("labels_stop_gradient", "StopGradient")]:
        assert names.get(name) == op_type, name
    assert "nce_loss/ComputeAccidentalHits" not in names         # nce keeps accidental hits by default
    assert nce.shape.as_list() == [2] and softmax.shape.as_list() == [2]


def test_sampled_losses_gradients():
    labels = LABELS[2]
    values = (SAMPLED, TRUE_Q[2].astype(np.float64), SAMPLED_Q.astype(np.float64))
    for kind, remove in [("nce", False), ("nce", True), ("softmax", True)]:
        check_gradients(lambda w, b, x: LOSSES[kind](w, b, labels, x, 4, 6, num_true=2, sampled_values=values,
                                                     remove_accidental_hits=remove),
                        W.astype(np.float64), B.astype(np.float64), X.astype(np.float64), tol=1e-6)


def test_gradients_reach_weights_biases_and_inputs_but_not_the_sampler():
    w, b, x = tf.Variable(W), tf.Variable(B), tf.placeholder(tf.float32, [3, 3])
    q = tf.placeholder(tf.float32, [4])
    values = (tf.constant(SAMPLED), tf.constant(TRUE_Q[1]), q)
    for fn in LOSSES.values():
        loss = tf.reduce_sum(fn(w, b, LABELS[1], x, 4, 6, sampled_values=values))
        grads = tf.gradients(loss, [w, b, x, q])
        assert [g is None for g in grads] == [False, False, False, True]
    default = tf.nn.sampled_softmax_loss(w, b, LABELS[1], x, 4, 6, seed=1)
    assert all(g is not None for g in tf.gradients(default, [w, b, x]))


def test_sampled_loss_errors():
    w, b, x = tf.constant(W), tf.constant(B), tf.constant(X)
    with pytest.raises(ValueError, match=r"^Shape must be rank 2 but is rank 1 for "
                                         r"'nce_loss/LogUniformCandidateSampler'.*\nFix: .*tf\.expand_dims"):
        tf.nn.nce_loss(w, b, tf.constant([1, 2, 3]), x, 2, 6)
    with pytest.raises(NotImplementedError, match="one params tensor"):
        tf.nn.nce_loss([w[:3], w[3:]], b, [[1], [2], [3]], x, 2, 6)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"^Sampler's range is too small\.\n"):
        _run(tf.nn.sampled_softmax_loss(w, b, [[1], [2], [3]], x, 7, 6))
    with pytest.raises(TypeError, match=r"^Expected int for argument 'num_sampled' not 'abc'\."):
        tf.nn.nce_loss(w, b, [[1], [2], [3]], x, "abc", 6)


def test_float_labels_are_cast_as_in_tensorflow():
    # TF casts labels to int64 first (nce_loss/Cast)
    loss = tf.nn.nce_loss(tf.constant(W), tf.constant(B), tf.constant([[1.0], [4.0], [0.0]]), tf.constant(X), 4, 6,
                          sampled_values=(SAMPLED, TRUE_Q[1], SAMPLED_Q))
    np.testing.assert_allclose(_run(loss), TF_LOSSES["nce", 1, False], rtol=2e-6)


def test_word2vec_with_nce_loss_learns():
    """Skip-gram on a tiny corpus: word i is followed by word (i + 1) % 20, so each centre word has one context."""
    vocabulary, dim = 20, 8
    centres = np.arange(vocabulary).repeat(2)
    contexts = ((centres + 1) % vocabulary).reshape(-1, 1)
    tf.set_random_seed(4)
    embeddings = tf.Variable(tf.random_uniform([vocabulary, dim], -1.0, 1.0))
    nce_weights = tf.Variable(tf.truncated_normal([vocabulary, dim], stddev=1.0 / np.sqrt(dim)))
    nce_biases = tf.Variable(tf.zeros([vocabulary]))
    inputs = tf.nn.embedding_lookup(embeddings, centres)
    loss = tf.reduce_mean(tf.nn.nce_loss(nce_weights, nce_biases, contexts, inputs, num_sampled=5,
                                         num_classes=vocabulary))
    train = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
    full_logits = tf.matmul(inputs, nce_weights, transpose_b=True) + nce_biases
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run([train, loss])[1] for _ in range(150)]
        predicted = sess.run(tf.argmax(full_logits, 1))
    assert np.mean(losses[-10:]) < 0.5 * np.mean(losses[:10]), (losses[:10], losses[-10:])
    assert np.mean(predicted == contexts[:, 0]) > 0.8
