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
