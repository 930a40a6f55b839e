"""Classic TF1 programs, run unchanged with ``import tinyflow as tf`` (only their data download is
replaced by a generated stand-in of the same shapes): they live in ``tests/programs/``."""
import os
import re
import subprocess
import sys

PROGRAMS = os.path.join(os.path.dirname(__file__), "programs")


def test_the_official_fully_connected_feed_tutorial_runs(tmp_path):
    log_dir = tmp_path / "logs"
    result = subprocess.run([sys.executable, os.path.join(PROGRAMS, "fully_connected_feed.py"), "--max_steps=201",
                             "--log_dir=%s" % log_dir, "--learning_rate=0.1"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    steps = re.findall(r"Step (\d+): loss = ([\d.]+)", result.stdout)
    assert [s for s, _ in steps] == ["0", "100", "200"]
    assert float(steps[-1][1]) < float(steps[0][1])              # it learns
    precisions = [float(p) for p in re.findall(r"Precision @ 1: ([\d.]+)", result.stdout)]
    assert len(precisions) == 3 and min(precisions) > 0.5
    names = sorted(os.listdir(str(log_dir)))
    assert "checkpoint" in names and "model.ckpt-200.npz" in names
    assert any(name.startswith("events.out.tfevents.") for name in names)


def test_the_official_mnist_with_summaries_tutorial_runs_and_tensorboard_reads_it(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    log_dir = tmp_path / "logs"
    result = subprocess.run([sys.executable, os.path.join(PROGRAMS, "mnist_with_summaries.py"), "--max_steps=101",
                             "--log_dir=%s" % log_dir], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    accuracies = [float(a) for a in re.findall(r"Accuracy at step \d+: ([\d.]+)", result.stdout)]
    assert len(accuracies) == 11 and accuracies[-1] > accuracies[0]
    assert "Adding run metadata for 99" in result.stdout
    train = EventAccumulator(str(log_dir / "train"), size_guidance={"images": 0, "scalars": 0, "histograms": 0})
    train.Reload()
    tags = train.Tags()
    assert "input_reshape/input/image/0" in tags["images"] and len(tags["images"]) == 10
    # the tags TensorBoard shows for this tutorial with TF too (names are unique ignoring case: Mean, mean_1)
    assert {"cross_entropy_1", "accuracy_1", "layer1/weights/summaries/mean_1"} <= set(tags["scalars"])
    assert "layer1/Wx_plus_b/pre_activations" in tags["histograms"]
    assert tags["run_metadata"] == ["step099"] and tags["graph"]
    image = train.Images("input_reshape/input/image/0")[0]
    assert (image.width, image.height) == (28, 28) and image.encoded_image_string.startswith(b"\x89PNG")


def _run(program, *args, cwd=None):
    result = subprocess.run([sys.executable, os.path.join(PROGRAMS, program)] + list(args), capture_output=True,
                            text=True, timeout=120, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_official_word2vec_basic_tutorial_runs(tmp_path):
    log_dir = tmp_path / "log"
    out = _run("word2vec_basic.py", "--log_dir=%s" % log_dir, "--num_steps=2001")
    assert "Most common words (+UNK) [['UNK', " in out
    losses = [float(v) for v in re.findall(r"Average loss at step  \d+ :  ([\d.]+)", out)]
    assert len(losses) == 2 and losses[1] < losses[0] / 5 and losses[1] < 6.0      # it learns (TF: 74.3, 3.90)
    assert len(re.findall(r"(?m)^Nearest to \w+: (\w+, ){7}\w+$", out)) == 16
    assert len((log_dir / "metadata.tsv").read_text().splitlines()) == 120
    assert 'tensor_name: "embeddings/Variable:0"' in (log_dir / "projector_config.pbtxt").read_text()
    names = os.listdir(str(log_dir))
    assert "checkpoint" in names and any(name.startswith("events.out.tfevents.") for name in names)


def test_an_lstm_reads_mnist_rows_with_static_rnn():
    # aymericdamien/TensorFlow-Examples' recurrent_network.py: tf.unstack of [batch, 28, 28], static_rnn
    out = _run("recurrent_network.py", "--training_steps=100", "--display_step=50")
    steps = re.findall(r"Step (\d+), Minibatch Loss= ([\d.]+), Training Accuracy= ([\d.]+)", out)
    assert [s for s, _, _ in steps] == ["1", "50", "100"]
    assert float(steps[-1][1]) < float(steps[0][1])              # it learns
    assert re.search(r"Testing Accuracy: [\d.]+\n", out)


def test_an_lstm_reads_mnist_rows_with_dynamic_rnn():
    out = _run("lstm_mnist_dynamic_rnn.py", "--max_steps=61", "--display_step=20")
    assert "outputs: (?, 28, 128) final_state.c: (?, 128) final_state.h: (?, 128)" in out      # as TF prints them
    losses = [float(v) for v in re.findall(r"Step \d+, loss = ([\d.]+)", out)]
    assert len(losses) == 4 and losses[-1] < losses[0] / 2       # TF: 2.31 ... 0.40
    assert "final state of the test set: LSTMStateTuple (300, 128) (300, 128)" in out
    assert float(re.search(r"Test accuracy: ([\d.]+)", out).group(1)) > 0.5


def test_a_char_rnn_carries_its_state_from_batch_to_batch(tmp_path):
    out = _run("char_rnn.py", "--log_dir=%s" % tmp_path)
    assert "state: LSTMStateTuple (10, 64), LSTMStateTuple (10, 64)" in out
    losses = [float(v) for v in re.findall(r"epoch \d+, train_loss = ([\d.]+)", out)]
    assert len(losses) == 8 and losses[-1] < losses[0] / 3       # TF: 2.52 ... 0.25
    assert "model saved to model.ckpt-128" in out
    text = re.search(r"sample: '(.*)'", out).group(1)
    assert text.startswith("the cat ") and len(text) == 48
