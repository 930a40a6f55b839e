"""``tf.train.Saver``: checkpoints of the variables' values, and the ``checkpoint`` file that lists them.

``saver.save(sess, "ckpt/model")`` writes every variable's value, under its name, to one file;
``saver.restore(sess, path)`` stores them back into a session, also one whose graph was built
anew (the names must match). Saving is atomic: a checkpoint is written to a temporary file and
renamed, so a program stopped while saving leaves the previous checkpoint intact.

TensorFlow's counterparts: ``python/training/saver.py``, ``python/training/checkpoint_management.py``.
"""
from __future__ import annotations

import os
import re
from typing import Any, Callable, Sequence

import numpy as np

from . import dtypes, errors
from .session import Session
from .tensor_shape import TensorShape
from .variables import Variable, global_variables

__all__ = ["Saver", "latest_checkpoint", "get_checkpoint_state", "checkpoint_exists", "CheckpointState"]


# --------------------------------------------------------------------------------------------
# Checkpoints
# --------------------------------------------------------------------------------------------
class CheckpointState:
    """The contents of a directory's ``checkpoint`` file: the newest checkpoint and all kept ones."""

    def __init__(self, model_checkpoint_path: str = "", all_model_checkpoint_paths: "Sequence[str]" = ()):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)

    def __repr__(self) -> str:
        lines = ['model_checkpoint_path: "%s"' % self.model_checkpoint_path]
        lines += ['all_model_checkpoint_paths: "%s"' % p for p in self.all_model_checkpoint_paths]
        return "\n".join(lines) + "\n"


def _data_file(prefix: str) -> str:
    """A checkpoint ``model.ckpt-100`` is stored in the file ``model.ckpt-100.npz``."""
    prefix = os.fspath(prefix)
    return prefix if prefix.endswith(".npz") else prefix + ".npz"


def checkpoint_exists(checkpoint_prefix: str) -> bool:
    """Whether a checkpoint was saved under this prefix."""
    return os.path.isfile(_data_file(checkpoint_prefix))


def _write_atomically(path: str, write: Callable, stale: "re.Pattern | None" = None) -> None:
    """Calls ``write(file)`` on a temporary file next to ``path``, then renames it to ``path``.

    A rename within one directory is atomic: readers see the old file or the complete new
    one, never half a file, even if ``write`` fails or the program is killed midway. The file
    gets the permissions a plain ``open`` would give it (0644 under the usual umask 022), and
    the directory is synced after the rename.

    The temporary file's name holds the saving process's id (``model.npz.<pid>.<random>.tmp``),
    so temporaries that a killed program left behind are recognised and removed first: those
    of ``path``, or those ``stale`` matches (a checkpoint's other steps), but never those of a
    process that is still running (it may be saving into the same directory right now).
    """
    import tempfile                       # (imported here: only saving needs it)
    directory = os.path.dirname(path) or "."
    prefix = os.path.basename(path) + "."
    _remove_stale_temporaries(directory, stale or re.compile(re.escape(prefix) + _TEMPORARY_NAME))
    try:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix="%s%d." % (prefix, os.getpid()), suffix=".tmp")
    except PermissionError:
        raise errors.PermissionDeniedError(
            None, None, "Failed to create a new writable file %s: Permission denied\nFix: save into a directory "
            "you may write to." % path) from None
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _sync_directory(directory)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


_TEMPORARY_NAME = r"(\d+)\.[a-z0-9_]{8}\.tmp$"
"""What a temporary file's name has after the file's own: the process id, ``tempfile.mkstemp``'s
eight random characters and ``.tmp``."""


def _read_umask() -> int:
    """The process's umask (read once: setting it to read it would race with other threads)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def _remove_stale_temporaries(directory: str, names: "re.Pattern") -> None:
    """Removes the temporary files that ``names`` matches whose process is gone: what a save
    killed midway left. (Only where a process can be asked whether it runs: POSIX.)"""
    if os.name != "posix":
        return
    try:
        found = os.listdir(directory)
    except OSError:
        return
    for name in found:
        match = names.match(name)
        if match and not _running(int(match.group(1))):
            try:
                os.remove(os.path.join(directory, name))
            except OSError:
                pass


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)                    # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True
    return True


def _sync_directory(directory: str) -> None:
    """Makes the rename durable (POSIX); a no-op where a directory cannot be opened (Windows)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def get_checkpoint_state(checkpoint_dir: str, latest_filename: "str | None" = None) -> "CheckpointState | None":
    """Reads ``checkpoint_dir/checkpoint``; relative paths in it are taken relative to that directory."""
    path = os.path.join(checkpoint_dir, latest_filename or "checkpoint")
    if not os.path.isfile(path):
        return None
    state = CheckpointState()
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, sep, value = line.partition(":")
            if not sep:
                continue
            value = value.strip().strip('"')
            if not os.path.isabs(value):
                value = os.path.join(checkpoint_dir, value)
            if key.strip() == "model_checkpoint_path":
                state.model_checkpoint_path = value
            elif key.strip() == "all_model_checkpoint_paths":
                state.all_model_checkpoint_paths.append(value)
    return state


def latest_checkpoint(checkpoint_dir: str, latest_filename: "str | None" = None) -> "str | None":
    """The prefix of the newest checkpoint saved in ``checkpoint_dir`` (for ``saver.restore``), or None."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state and state.model_checkpoint_path and checkpoint_exists(state.model_checkpoint_path):
        return state.model_checkpoint_path
    return None


class Saver:
    """Saves variables to checkpoint files and restores them: ``saver.save(sess, "ckpt/model")``.

    A checkpoint is one ``.npz`` file (numpy's zip of arrays) holding each variable's value under
    its name (``dense/kernel``), so it can be restored into a newly built graph whose variables
    have the same names. ``save`` also updates the directory's ``checkpoint`` file, which
    ``tf.train.latest_checkpoint(dir)`` reads, and deletes all but the ``max_to_keep`` newest.
    """

    def __init__(self, var_list: Any = None, reshape: bool = False, sharded: bool = False, max_to_keep: int = 5,
                 keep_checkpoint_every_n_hours: float = 10000.0, name: "str | None" = None,
                 restore_sequentially: bool = False, saver_def: Any = None, builder: Any = None,
                 defer_build: bool = False, allow_empty: bool = False, write_version: Any = None,
                 pad_step_number: bool = False, save_relative_paths: bool = False, filename: "str | None" = None):
        if var_list is None:
            var_list = global_variables()
        if not isinstance(var_list, (dict, list, tuple, set)):
            raise TypeError("Variables to save should be passed in a dict or a list. Got %r\nFix: e.g. "
                            "tf.train.Saver([w, b]), or tf.train.Saver() for every variable." % (var_list,))
        if isinstance(var_list, dict):
            named = dict(var_list)
        else:
            named = {}
            for v in var_list:
                if not isinstance(v, Variable):
                    raise TypeError("Variable to save is not a Variable: %s" % (v,))
                if v.op.name in named:
                    raise ValueError("At least two variables have the same name: %s" % v.op.name)
                named[v.op.name] = v
        for v in named.values():
            if not isinstance(v, Variable):
                raise TypeError("Variable to save is not a Variable: %s" % (v,))
        if not named and not allow_empty:
            raise ValueError("No variables to save")
        self._vars: "dict[str, Variable]" = named
        self._max_to_keep = max_to_keep
        self._pad_step_number = pad_step_number
        self._filename = filename
        self._last_checkpoints: "list[str]" = []

    @property
    def last_checkpoints(self) -> "list[str]":
        """The checkpoints this saver has kept, oldest first."""
        return list(self._last_checkpoints)

    def recover_last_checkpoints(self, checkpoint_paths: "Sequence[str]") -> None:
        self._last_checkpoints = [p for p in checkpoint_paths if checkpoint_exists(p)]

    def save(self, sess: Any, save_path: str, global_step: Any = None, latest_filename: "str | None" = None,
             meta_graph_suffix: str = "meta", write_meta_graph: bool = True, write_state: bool = True,
             strip_default_attrs: bool = False, save_debug_info: bool = False) -> str:
        """Writes the variables' values in ``sess`` to ``<save_path>[-<global_step>].npz``.

        Returns the checkpoint prefix (``save_path`` or ``save_path-<step>``) to pass to
        :meth:`restore`. The file is written completely under a temporary name first and then
        renamed, so a failing save never leaves a broken checkpoint behind.
        """
        if not isinstance(sess, Session):
            raise TypeError("'sess' must be a Session; %s" % (sess,))
        if latest_filename is not None and os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components\nFix: give a file name only; "
                             "it is written next to the checkpoint.")
        save_path = os.fspath(save_path)
        stale = re.compile(re.escape(os.path.basename(_data_file(save_path))[:-4]) + r"(?:-\d+)?\.npz\."
                           + _TEMPORARY_NAME)
        if global_step is not None:
            if not isinstance(global_step, (int, np.integer)):
                global_step = int(sess.run(global_step))
            save_path = ("%s-%08d" if self._pad_step_number else "%s-%d") % (save_path, global_step)
        directory = os.path.dirname(save_path)
        if directory and not os.path.isdir(directory):
            raise ValueError("Parent directory of %s doesn't exist, can't save." % save_path)
        names = list(self._vars)
        values = sess.run([self._vars[n] for n in names])
        arrays = {n: _to_storable(np.asarray(v)) for n, v in zip(names, values)}
        _write_atomically(_data_file(save_path), lambda f: np.savez(f, **arrays), stale)
        if write_state:
            self._remember(save_path, latest_filename)
        return save_path

    def _remember(self, save_path: str, latest_filename: "str | None") -> None:
        """Rewrites the ``checkpoint`` file, then deletes the checkpoints beyond ``max_to_keep``.

        In that order, the ``checkpoint`` file never lists a deleted checkpoint, and a failing
        write changes nothing (no checkpoint deleted, ``last_checkpoints`` as it was).
        """
        if self._max_to_keep:
            kept = [p for p in self._last_checkpoints if p != save_path] + [save_path]
            kept, dropped = kept[-self._max_to_keep:], kept[:-self._max_to_keep]
        else:
            kept, dropped = [], []          # max_to_keep=None/0: keep everything, track nothing (as TF)
        directory = os.path.dirname(save_path)
        listed = kept or [save_path]
        rel = [os.path.basename(p) if os.path.dirname(p) == directory else p for p in listed]
        text = 'model_checkpoint_path: "%s"\n' % rel[-1]
        text += "".join('all_model_checkpoint_paths: "%s"\n' % p for p in rel)
        state_file = os.path.join(directory, latest_filename or "checkpoint")
        _write_atomically(state_file, lambda f: f.write(text.encode("utf-8")))
        self._last_checkpoints = kept
        for old in dropped:
            if os.path.isfile(_data_file(old)):
                os.remove(_data_file(old))

    def restore(self, sess: Any, save_path: str) -> None:
        """Loads every variable of this saver from the checkpoint ``save_path`` into ``sess``.

        Everything is checked first (file readable, every variable present with the right
        shape and dtype); only then are the values stored, all at once. On any error the
        session's variables are left as they were.
        """
        if not isinstance(sess, Session):
            raise TypeError("'sess' must be a Session; %s" % (sess,))
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        path = _data_file(save_path)
        if not os.path.isfile(path):
            raise errors.NotFoundError(
                None, None, "Failed to find any matching files for %s\nFix (tinyflow): check the path (no file %s); "
                "tf.train.latest_checkpoint(directory) gives the newest checkpoint saved in a directory."
                % (save_path, path))
        stored = _read_checkpoint(path)
        values = {}
        for name, var in self._vars.items():
            if name not in stored:
                raise errors.NotFoundError(
                    None, None, "Key %s not found in checkpoint %s\n(tinyflow: the checkpoint holds %s; variables "
                    "are matched by name, so build the graph the same way as when saving.)"
                    % (name, save_path, ", ".join(sorted(stored)) or "no variables"))
            value = stored[name]
            want_dtype = var.dtype.base_dtype
            if np.dtype(want_dtype.as_numpy_dtype) != value.dtype and not (
                    want_dtype is dtypes.string and value.dtype.kind == "S"):
                raise errors.InvalidArgumentError(
                    None, None, "tensor_name = %s; expected dtype %s does not equal original dtype %s "
                    "(in checkpoint %s)" % (name, want_dtype.name, value.dtype.name, save_path))
            if not var.shape.is_compatible_with(TensorShape(value.shape)):
                raise errors.InvalidArgumentError(
                    None, None, "Restoring variable %s from checkpoint %s failed: Assign requires shapes of both "
                    "tensors to match. lhs shape= %s rhs shape= %s"
                    % (name, save_path, var.shape.debug_string(), TensorShape(value.shape).debug_string()))
            values[var] = value
        _store_all(sess, values)

    def as_saver_def(self) -> None:
        raise NotImplementedError("tinyflow's Saver writes .npz checkpoints and has no SaverDef.")


def _store_all(sess: Any, values: "dict[Variable, np.ndarray]") -> None:
    """Stores every checked value in ``sess`` at once, the way a successful run commits its writes.

    (Not by running the initializers with their initial values fed: variables made from one
    tensor, ``tf.Variable(c)`` twice, share that tensor, and a feed can give it only one value.)
    """
    for var in values:
        if var.graph is not sess.graph:
            raise ValueError("Cannot restore variable %s: it is not in the session's graph.\nFix (tinyflow): "
                             "create the Saver in the graph the session runs." % var.op.name)
    sess._load_variables({var.op: value for var, value in values.items()})


def _to_storable(value: np.ndarray) -> np.ndarray:
    """String variables hold Python bytes objects; store them as fixed-width bytes (no pickle)."""
    return value.astype(bytes) if value.dtype == object else value


def _read_checkpoint(path: str) -> "dict[str, np.ndarray]":
    """All arrays of a checkpoint file, read completely (a damaged file fails here, not later)."""
    try:
        with open(path, "rb") as f:
            data = np.load(f, allow_pickle=False)
            if not isinstance(data, np.lib.npyio.NpzFile):
                raise ValueError("a single array, not an .npz archive of variables")
            with data:
                return {name: data[name] for name in data.files}
    except PermissionError:
        raise errors.PermissionDeniedError(None, None, "%s; Permission denied\nFix: make the checkpoint readable."
                                           % path) from None
    except Exception as e:      # whatever a damaged archive makes zipfile, zlib or numpy raise
        raise errors.DataLossError(
            None, None, "Unable to open table file %s: Data loss: not a valid checkpoint (%s: %s): the file is "
            "truncated or corrupted.\nFix (tinyflow): restore an older checkpoint, e.g. one listed in the "
            "directory's `checkpoint` file." % (path, type(e).__name__, e)) from None
