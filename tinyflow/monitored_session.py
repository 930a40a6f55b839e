"""``tf.train.MonitoredTrainingSession`` and its hooks: a training loop that initializes, restores,
saves checkpoints and stops by itself::

    global_step = tf.train.get_or_create_global_step()
    train_op = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=global_step)
    hooks = [tf.train.StopAtStepHook(last_step=1000)]
    with tf.train.MonitoredTrainingSession(checkpoint_dir="ckpt", hooks=hooks,
                                           save_checkpoint_steps=100) as sess:
        while not sess.should_stop():
            sess.run(train_op)

Creating the session calls every hook's ``begin()`` (hooks may still add ops), finalizes the
graph (adding an op afterwards raises RuntimeError), then initializes the variables, or restores
them from the newest checkpoint in ``checkpoint_dir`` if there is one (a second program resumes
where the first stopped). Each ``sess.run(fetches)`` also runs what the hooks ask for in
``before_run`` and hands them the values in ``after_run``; a hook may ask the loop to stop. The
end of a ``tf.data`` iterator (``OutOfRangeError``) ends the ``with`` block quietly, and closing
calls each hook's ``end(session)`` (``CheckpointSaverHook`` saves the last step there).

TensorFlow's counterparts: ``python/training/monitored_session.py``, ``basic_session_run_hooks.py``,
``session_run_hook.py``, ``coordinator.py``. tinyflow runs one process: no recovery from a lost
worker, no queue runners, no waiting for a chief.
"""
from __future__ import annotations

import contextlib
import inspect
import os
import sys
import threading
import time
from typing import Any, Callable, NamedTuple

import numpy as np

from . import errors, summary, tf_logging as logging
from .config_pb2 import RunOptions
from .framework import GraphKeys, Tensor, get_collection, get_default_graph, name_scope
from .ops import math_ops
from .ops.control_flow_ops import group
from .ops.lookup_ops import tables_initializer
from .saver import Saver, get_checkpoint_state
from .session import Session
from .train import get_global_step
from .variables import (global_variables, global_variables_initializer, local_variables_initializer,
                        report_uninitialized_variables)

__all__ = [
    "SessionRunHook", "SessionRunArgs", "SessionRunValues", "SessionRunContext", "Coordinator", "Scaffold",
    "SessionCreator", "ChiefSessionCreator", "MonitoredSession", "SingularMonitoredSession",
    "MonitoredTrainingSession", "SecondOrStepTimer", "StopAtStepHook", "CheckpointSaverListener",
    "CheckpointSaverHook", "StepCounterHook", "LoggingTensorHook", "NanTensorHook", "NanLossDuringTrainingError",
    "SummarySaverHook", "FinalOpsHook", "FeedFnHook",
]


# --------------------------------------------------------------------------------------------
# What a hook sees: session_run_hook.py
# --------------------------------------------------------------------------------------------
class SessionRunHook:
    """Base class of the hooks: override the steps you need (each does nothing here).

    ``begin()`` before the graph is finalized; ``after_create_session(session, coord)`` once the
    variables are initialized or restored; ``before_run(run_context)`` before each ``run`` (return
    ``tf.train.SessionRunArgs(fetches)`` to have more fetched in the same run);
    ``after_run(run_context, run_values)`` after it (``run_values.results`` holds those values;
    ``run_context.request_stop()`` ends the loop); ``end(session)`` when the session closes.
    """

    def begin(self) -> None:
        pass

    def after_create_session(self, session: Session, coord: "Coordinator") -> None:
        pass

    def before_run(self, run_context: "SessionRunContext") -> "SessionRunArgs | None":
        return None

    def after_run(self, run_context: "SessionRunContext", run_values: "SessionRunValues") -> None:
        pass

    def end(self, session: Session) -> None:
        pass


class SessionRunArgs(NamedTuple):
    """What a hook adds to a run: ``fetches`` (any structure ``sess.run`` takes) and ``feed_dict``."""
    fetches: Any
    feed_dict: Any = None
    options: Any = None


class SessionRunValues(NamedTuple):
    """What a hook gets back: ``results``, the values of the fetches it asked for (same structure)."""
    results: Any
    options: Any
    run_metadata: Any


class SessionRunContext:
    """The run a hook is called for: the caller's ``original_args``, the raw ``session``, and
    ``request_stop()`` to end the training loop after this run."""

    def __init__(self, original_args: SessionRunArgs, session: Session):
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    @property
    def original_args(self) -> SessionRunArgs:
        return self._original_args

    @property
    def session(self) -> Session:
        return self._session

    @property
    def stop_requested(self) -> bool:
        return self._stop_requested

    def request_stop(self) -> None:
        self._stop_requested = True


class Coordinator:
    """Tells threads when to stop (``should_stop``, ``request_stop``); hooks receive one in
    ``after_create_session``. An exception given to ``request_stop`` is raised again by ``join``
    (``OutOfRangeError``, by default, counts as a clean stop)."""

    def __init__(self, clean_stop_exception_types: Any = None):
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (errors.OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise: Any = None
        self._joined = False
        self._registered_threads: "set[threading.Thread]" = set()

    def request_stop(self, ex: Any = None) -> None:
        with self._lock:
            if self._stop_event.is_set():
                return
            if ex is not None and self._exc_info_to_raise is None:
                exc_info = ex if isinstance(ex, tuple) else (type(ex), ex, ex.__traceback__)
                if not isinstance(exc_info[1], self._clean_stop_exception_types):
                    self._exc_info_to_raise = exc_info
            self._stop_event.set()

    def clear_stop(self) -> None:
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            self._stop_event.clear()

    def should_stop(self) -> bool:
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """``with coord.stop_on_exception():`` an exception in the block requests a stop with it."""
        try:
            yield
        except Exception:
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout: "float | None" = None) -> bool:
        return self._stop_event.wait(timeout)

    def register_thread(self, thread: threading.Thread) -> None:
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads: Any = None, stop_grace_period_secs: float = 120, ignore_live_threads: bool = False) -> None:
        """Waits for the threads to finish once a stop is requested; raises the exception given to
        ``request_stop``, if any."""
        threads = set(threads or ()) | self._registered_threads
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(1.0):
            pass
        deadline = time.time() + stop_grace_period_secs
        while any(t.is_alive() for t in threads) and time.time() < deadline:
            time.sleep(0.01)
        stragglers = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1].with_traceback(self._exc_info_to_raise[2])
        if stragglers and not ignore_live_threads:
            raise RuntimeError("Coordinator stopped with threads still running: %s\nFix: let each thread end "
                               "when coord.should_stop() is True." % " ".join(stragglers))

    @property
    def joined(self) -> bool:
        return self._joined

    def raise_requested_exception(self) -> None:
        with self._lock:
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1].with_traceback(self._exc_info_to_raise[2])


# --------------------------------------------------------------------------------------------
# Making the session: Scaffold and session creators
# --------------------------------------------------------------------------------------------
class Scaffold:
    """The ops a monitored session needs, made (or taken from the graph's collections) by
    ``finalize()``, which then finalizes the graph: ``init_op`` (global variables),
    ``local_init_op`` (local variables and tables), ``ready_op`` (reports uninitialized
    variables), ``summary_op`` (``tf.summary.merge_all()``) and ``saver`` (a ``tf.train.Saver``
    of every variable, kept in the ``SAVERS`` collection)."""

    def __init__(self, init_op: Any = None, init_feed_dict: Any = None, init_fn: "Callable | None" = None,
                 ready_op: Any = None, ready_for_local_init_op: Any = None, local_init_op: Any = None,
                 summary_op: Any = None, saver: Any = None, copy_from_scaffold: "Scaffold | None" = None,
                 local_init_feed_dict: Any = None):
        if copy_from_scaffold is not None:
            if not isinstance(copy_from_scaffold, Scaffold):
                raise TypeError("copy_from_scaffold is not a Scaffold instance.")
            c = copy_from_scaffold
            init_op = c.init_op if init_op is None else init_op
            init_feed_dict = c._init_feed_dict if init_feed_dict is None else init_feed_dict
            init_fn = c._user_init_fn if init_fn is None else init_fn
            ready_op = c.ready_op if ready_op is None else ready_op
            ready_for_local_init_op = c.ready_for_local_init_op if ready_for_local_init_op is None \
                else ready_for_local_init_op
            local_init_op = c.local_init_op if local_init_op is None else local_init_op
            local_init_feed_dict = c._local_init_feed_dict if local_init_feed_dict is None else local_init_feed_dict
            summary_op = c.summary_op if summary_op is None else summary_op
            saver = c.saver if saver is None else saver
        self._user_init_fn = init_fn
        self._init_fn = (lambda sess: init_fn(self, sess)) if init_fn else None
        self._init_op, self._init_feed_dict = init_op, init_feed_dict
        self._ready_op, self._ready_for_local_init_op = ready_op, ready_for_local_init_op
        self._local_init_op, self._local_init_feed_dict = local_init_op, local_init_feed_dict
        self._summary_op, self._saver = summary_op, saver

    def finalize(self) -> "Scaffold":
        """Makes the missing ops, then finalizes the default graph."""
        if self._init_op is None:
            self._init_op = Scaffold.get_or_default(
                "init_op", GraphKeys.INIT_OP, lambda: group(global_variables_initializer()))
        if self._ready_op is None:
            self._ready_op = Scaffold.get_or_default("ready_op", GraphKeys.READY_OP, report_uninitialized_variables)
        if self._ready_for_local_init_op is None:
            self._ready_for_local_init_op = Scaffold.get_or_default(
                "ready_for_local_init_op", GraphKeys.READY_FOR_LOCAL_INIT_OP,
                lambda: report_uninitialized_variables(global_variables()))
        if self._local_init_op is None:
            self._local_init_op = Scaffold.get_or_default("local_init_op", GraphKeys.LOCAL_INIT_OP,
                                                          Scaffold.default_local_init_op)
        if self._summary_op is None:
            self._summary_op = Scaffold.get_or_default("summary_op", GraphKeys.SUMMARY_OP, summary.merge_all)
        if self._saver is None:
            self._saver = _get_saver_or_default()
        get_default_graph().finalize()
        logging.info("Graph was finalized.")
        return self

    @staticmethod
    def get_or_default(arg_name: str, collection_key: str, default_constructor: Callable) -> Any:
        """The one item of the collection, or a new one (added to the collection)."""
        elements = get_collection(collection_key)
        if elements:
            if len(elements) > 1:
                raise RuntimeError("More than one item in the collection \"%s\". Please indicate which one to use "
                                   "by passing it to the tf.Scaffold constructor as:  tf.Scaffold(%s=item to use)"
                                   "\nFix: pass the one to use, e.g. tf.train.Scaffold(%s=...)."
                                   % (collection_key, arg_name, arg_name))
            return elements[0]
        op = default_constructor()
        if op is not None:
            get_default_graph().add_to_collection(collection_key, op)
        return op

    @staticmethod
    def default_local_init_op() -> Any:
        return group(local_variables_initializer(), tables_initializer())

    init_fn = property(lambda self: self._init_fn)
    init_op = property(lambda self: self._init_op)
    init_feed_dict = property(lambda self: self._init_feed_dict)
    ready_op = property(lambda self: self._ready_op)
    ready_for_local_init_op = property(lambda self: self._ready_for_local_init_op)
    local_init_op = property(lambda self: self._local_init_op)
    local_init_feed_dict = property(lambda self: self._local_init_feed_dict)
    summary_op = property(lambda self: self._summary_op)
    saver = property(lambda self: self._saver)


def _get_saver_or_default() -> Saver:
    savers = get_collection(GraphKeys.SAVERS)
    if savers:
        if len(savers) > 1:
            raise RuntimeError("More than one item in collection %s. Please indicate which one to use by passing it "
                               "to the constructor.\nFix: tf.train.Scaffold(saver=...)." % GraphKeys.SAVERS)
        return savers[0]
    saver = Saver(sharded=True, allow_empty=True)
    get_default_graph().add_to_collection(GraphKeys.SAVERS, saver)
    return saver


class SessionCreator:
    """Makes the ``tf.Session`` a monitored session runs: override ``create_session()``."""

    def create_session(self) -> Session:
        raise NotImplementedError("create_session is not implemented for %s." % self)


class ChiefSessionCreator(SessionCreator):
    """Finalizes the scaffold, then restores the newest checkpoint of ``checkpoint_dir`` (or
    ``checkpoint_filename_with_path``) if there is one, else runs ``init_op`` and ``init_fn``;
    then ``local_init_op``; then checks that every variable is initialized."""

    def __init__(self, scaffold: "Scaffold | None" = None, master: str = "", config: Any = None,
                 checkpoint_dir: "str | None" = None, checkpoint_filename_with_path: "str | None" = None):
        self._scaffold = scaffold or Scaffold()
        self._master, self._config = master, config
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_filename_with_path = checkpoint_filename_with_path

    def create_session(self) -> Session:
        scaffold = self._scaffold.finalize()
        sess = Session(self._master, graph=get_default_graph(), config=self._config)
        if not self._restore(sess, scaffold.saver):
            if scaffold.init_op is None and not scaffold.init_fn and scaffold.local_init_op is None:
                raise RuntimeError("Model is not initialized and no init_op or init_fn or local_init_op was given"
                                   "\nFix: leave the Scaffold's init_op at its default.")
            if scaffold.init_op is not None:
                sess.run(scaffold.init_op, feed_dict=scaffold.init_feed_dict)
            if scaffold.init_fn:
                scaffold.init_fn(sess)
        if scaffold.local_init_op is not None:
            logging.info("Running local_init_op.")
            sess.run(scaffold.local_init_op, feed_dict=scaffold.local_init_feed_dict)
            logging.info("Done running local_init_op.")
        if scaffold.ready_op is not None:
            missing = np.asarray(sess.run(scaffold.ready_op))
            if missing.size:
                names = ", ".join(n.decode() if isinstance(n, bytes) else str(n) for n in missing.ravel())
                raise RuntimeError(
                    "Init operations did not make model ready.  Init op: %s, init fn: %s, local_init_op: %s, error: "
                    "Variables not initialized: %s\nFix: let the Scaffold's init_op (by default every global "
                    "variable's initializer) initialize them, or save them in the checkpoint."
                    % (getattr(scaffold.init_op, "name", scaffold.init_op), scaffold.init_fn,
                       getattr(scaffold.local_init_op, "name", scaffold.local_init_op), names))
        return sess

    def _restore(self, sess: Session, saver: Any) -> bool:
        if saver is None:
            return False
        if self._checkpoint_filename_with_path:
            saver.restore(sess, self._checkpoint_filename_with_path)
            return True
        if not self._checkpoint_dir:
            return False
        state = get_checkpoint_state(self._checkpoint_dir)
        if not state or not state.model_checkpoint_path:
            return False
        logging.info("Restoring parameters from %s", state.model_checkpoint_path)
        saver.restore(sess, state.model_checkpoint_path)
        saver.recover_last_checkpoints(state.all_model_checkpoint_paths)
        return True


# --------------------------------------------------------------------------------------------
# The monitored sessions
# --------------------------------------------------------------------------------------------
class _StepContext:
    """What ``run_step_fn``'s function gets: the raw ``session``, ``run_with_hooks`` and ``request_stop``."""

    def __init__(self, session: Session, run_with_hooks_fn: Callable):
        self._session = session
        self._run_with_hooks_fn = run_with_hooks_fn

    @property
    def session(self) -> Session:
        return self._session

    def run_with_hooks(self, *args: Any, **kwargs: Any) -> Any:
        return self._run_with_hooks_fn(*args, **kwargs)

    def request_stop(self) -> None:
        raise StopIteration("step_fn has requested the iterations to stop.")


class _MonitoredSession:
    """A session with hooks: ``run`` calls them around each run; ``should_stop``; ``close``."""

    StepContext = _StepContext

    def __init__(self, session_creator: "SessionCreator | None", hooks: Any, stop_grace_period_secs: float = 120):
        graph = get_default_graph()
        self._graph = graph
        self._graph_was_finalized = graph.finalized
        self._hooks = list(hooks or [])
        self._stop_grace_period_secs = stop_grace_period_secs
        for h in self._hooks:
            h.begin()
        self._tf_session = (session_creator or ChiefSessionCreator()).create_session()
        self._coord = Coordinator(clean_stop_exception_types=[])
        self._stop_requested = False
        for h in self._hooks:
            h.after_create_session(self._tf_session, self._coord)

    @property
    def graph(self) -> Any:
        return self._graph

    def _tf_sess(self) -> "Session | None":
        return self._tf_session

    def should_stop(self) -> bool:
        """True once a hook requested a stop, or the session is closed."""
        return self._tf_session is None or self._stop_requested or self._coord.should_stop()

    def run(self, fetches: Any, feed_dict: "dict | None" = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        """``session.run(fetches, feed_dict)``, with what the hooks ask for fetched in the same run."""
        if self._tf_session is None:
            raise RuntimeError("Attempted to use a closed Session.\nFix: run inside the `with` block of the "
                               "monitored session.")
        if self.should_stop():
            raise RuntimeError("Run called even after should_stop requested.\nFix: loop with "
                               "`while not sess.should_stop():`.")
        context = SessionRunContext(SessionRunArgs(fetches, feed_dict), self._tf_session)
        options = options or RunOptions()
        actual = {"caller": fetches}
        hook_feeds: dict = {}
        for hook in self._hooks:
            request = hook.before_run(context)
            if request is None:
                continue
            if request.fetches is not None:
                actual[hook] = request.fetches
            if request.feed_dict:
                _raise_if_feeds_intersect(hook_feeds, request.feed_dict, "Same tensor is fed by two hooks.")
                hook_feeds.update(request.feed_dict)
        if hook_feeds:
            if feed_dict:
                _raise_if_feeds_intersect(feed_dict, hook_feeds, "Same tensor is fed by a SessionRunHook and user.")
            feed_dict = dict(feed_dict or {})
            feed_dict.update(hook_feeds)
        outputs = self._tf_session.run(actual, feed_dict=feed_dict, options=options, run_metadata=run_metadata)
        for hook in self._hooks:
            hook.after_run(context, SessionRunValues(results=outputs[hook] if hook in outputs else None,
                                                     options=options, run_metadata=run_metadata))
        self._stop_requested = self._stop_requested or context.stop_requested
        return outputs["caller"]

    def run_step_fn(self, step_fn: Callable) -> Any:
        """Calls ``step_fn(step_context)``; ``step_context.run_with_hooks(...)`` runs with the hooks,
        ``step_context.session`` is the raw session, ``step_context.request_stop()`` ends the loop."""
        args = tuple(inspect.signature(step_fn).parameters)
        if args not in (("step_context",), ("self", "step_context")):
            raise ValueError("`step_fn` may either have one `step_context` argument, or `self` and `step_context` "
                             "arguments if it's an instance method. Got %s instead.\nFix: def step_fn(step_context): "
                             "..." % (args,))
        return step_fn(_StepContext(self._tf_session, self.run))

    def close(self) -> None:
        self._close_internal()

    def __enter__(self) -> "_MonitoredSession":
        return self

    def __exit__(self, exception_type: Any, exception_value: Any, traceback: Any) -> bool:
        if exception_type in (errors.OutOfRangeError, StopIteration):
            exception_type = None
        self._close_internal(exception_type)
        return exception_type is None       # the end of the data ends the `with` block quietly

    def _close_internal(self, exception_type: Any = None) -> None:
        try:
            if not exception_type:
                for h in self._hooks:
                    h.end(self._tf_session)
        finally:
            try:
                if self._tf_session is None:
                    raise RuntimeError("Session is already closed.")
                self._coord.request_stop()
                self._tf_session.close()
            finally:
                self._tf_session = None
                if not self._graph_was_finalized:
                    self._graph._unsafe_unfinalize()


def _raise_if_feeds_intersect(feeds1: dict, feeds2: dict, message: str) -> None:
    intersection = set(feeds1) & set(feeds2)
    if intersection:
        raise RuntimeError(message + " Conflict(s): " + str(list(intersection)))


class MonitoredSession(_MonitoredSession):
    """A session with hooks, made by ``session_creator`` (default: ``ChiefSessionCreator()``, which
    initializes the variables). Use it in a ``with`` block and loop ``while not sess.should_stop()``."""

    def __init__(self, session_creator: "SessionCreator | None" = None, hooks: Any = None,
                 stop_grace_period_secs: float = 120):
        super().__init__(session_creator, hooks, stop_grace_period_secs)


class SingularMonitoredSession(_MonitoredSession):
    """``MonitoredSession`` with the ``ChiefSessionCreator`` arguments given directly, and
    ``raw_session()`` (the ``tf.Session`` itself, to run without the hooks)."""

    def __init__(self, hooks: Any = None, scaffold: "Scaffold | None" = None, master: str = "", config: Any = None,
                 checkpoint_dir: "str | None" = None, stop_grace_period_secs: float = 120,
                 checkpoint_filename_with_path: "str | None" = None):
        creator = ChiefSessionCreator(scaffold=scaffold, master=master, config=config, checkpoint_dir=checkpoint_dir,
                                      checkpoint_filename_with_path=checkpoint_filename_with_path)
        super().__init__(creator, hooks, stop_grace_period_secs)

    def raw_session(self) -> "Session | None":
        return self._tf_sess()


class _UseDefault:
    def __repr__(self) -> str:
        return "USE_DEFAULT"


USE_DEFAULT = _UseDefault()


def MonitoredTrainingSession(master: str = "", is_chief: bool = True, checkpoint_dir: "str | None" = None,  # noqa: N802
                             scaffold: "Scaffold | None" = None, hooks: Any = None, chief_only_hooks: Any = None,
                             save_checkpoint_secs: Any = USE_DEFAULT, save_summaries_steps: Any = USE_DEFAULT,
                             save_summaries_secs: Any = USE_DEFAULT, config: Any = None,
                             stop_grace_period_secs: float = 120, log_step_count_steps: "int | None" = 100,
                             max_wait_secs: float = 7200, save_checkpoint_steps: Any = USE_DEFAULT,
                             summary_dir: "str | None" = None, save_graph_def: bool = True) -> MonitoredSession:
    """A ``MonitoredSession`` for training: with a ``checkpoint_dir`` it restores the newest
    checkpoint there, saves one every ``save_checkpoint_secs`` (600) or ``save_checkpoint_steps``
    and at the end (``CheckpointSaverHook``), writes summaries every ``save_summaries_steps`` (100)
    and counts steps per second (``StepCounterHook``). ``hooks`` run too (after those)."""
    if save_summaries_steps is USE_DEFAULT and save_summaries_secs is USE_DEFAULT:
        save_summaries_steps, save_summaries_secs = 100, None
    elif save_summaries_secs is USE_DEFAULT:
        save_summaries_secs = None
    elif save_summaries_steps is USE_DEFAULT:
        save_summaries_steps = None
    if save_checkpoint_steps is USE_DEFAULT and save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_steps, save_checkpoint_secs = None, 600
    elif save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_secs = None
    elif save_checkpoint_steps is USE_DEFAULT:
        save_checkpoint_steps = None
    if not is_chief:
        raise NotImplementedError("MonitoredTrainingSession(is_chief=False): tinyflow runs one process, which is "
                                  "the chief.\nFix: leave is_chief=True.")
    scaffold = scaffold or Scaffold()
    all_hooks = list(chief_only_hooks or [])
    summary_dir = summary_dir or checkpoint_dir
    if summary_dir:
        if log_step_count_steps and log_step_count_steps > 0:
            all_hooks.append(StepCounterHook(output_dir=summary_dir, every_n_steps=log_step_count_steps))
        if (save_summaries_steps and save_summaries_steps > 0) or (save_summaries_secs and save_summaries_secs > 0):
            all_hooks.append(SummarySaverHook(scaffold=scaffold, save_steps=save_summaries_steps,
                                              save_secs=save_summaries_secs, output_dir=summary_dir))
    if checkpoint_dir:
        if (save_checkpoint_secs and save_checkpoint_secs > 0) or (save_checkpoint_steps and
                                                                   save_checkpoint_steps > 0):
            all_hooks.append(CheckpointSaverHook(checkpoint_dir, save_steps=save_checkpoint_steps,
                                                 save_secs=save_checkpoint_secs, scaffold=scaffold,
                                                 save_graph_def=save_graph_def))
    all_hooks.extend(hooks or [])
    creator = ChiefSessionCreator(scaffold=scaffold, checkpoint_dir=checkpoint_dir, master=master, config=config)
    return MonitoredSession(session_creator=creator, hooks=all_hooks, stop_grace_period_secs=stop_grace_period_secs)


# --------------------------------------------------------------------------------------------
# The hooks: basic_session_run_hooks.py
# --------------------------------------------------------------------------------------------
_GLOBAL_STEP_READ_KEY = "global_step_read_op_cache"


def _global_step_read() -> "Tensor | None":
    """A tensor reading the global step (``global_step/add:0``, made once per graph), or None."""
    graph = get_default_graph()
    cached = graph.get_collection(_GLOBAL_STEP_READ_KEY)
    if cached:
        return cached[0]
    step = get_global_step(graph)
    if step is None:
        return None
    with graph.as_default(), name_scope(None), name_scope(step.op.name + "/"):
        read = math_ops.add(step, 0)
    graph.add_to_collection(_GLOBAL_STEP_READ_KEY, read)
    return read


def _require_global_step(hook: str) -> Tensor:
    step = _global_step_read()
    if step is None:
        raise RuntimeError("Global step should be created to use %s.\nFix: create it before the session, with "
                           "global_step = tf.train.get_or_create_global_step(), and pass it to "
                           "minimize(loss, global_step=global_step)." % hook)
    return step


_WRITERS: "dict[str, tuple[summary.FileWriter, int]]" = {}


def _writer(logdir: str) -> summary.FileWriter:
    """One FileWriter per directory (TF's ``SummaryWriterCache``), a new one if the directory was
    deleted and made again since (a notebook cell that starts afresh)."""
    logdir = os.fspath(logdir)
    cached = _WRITERS.get(logdir)
    if cached is None or not os.path.isdir(logdir) or os.stat(logdir).st_ino != cached[1]:
        writer = summary.FileWriter(logdir)
        _WRITERS[logdir] = cached = (writer, os.stat(logdir).st_ino)
    return cached[0]


class SecondOrStepTimer:
    """Triggers every ``every_secs`` seconds or every ``every_steps`` steps (exactly one of them)."""

    def __init__(self, every_secs: "float | None" = None, every_steps: "int | None" = None):
        self.reset()
        self._every_secs, self._every_steps = every_secs, every_steps
        if every_secs is None and every_steps is None:
            raise ValueError("Either every_secs or every_steps should be provided.\nFix: e.g. every_steps=100.")
        if every_secs is not None and every_steps is not None:
            raise ValueError("Can not provide both every_secs and every_steps.\nFix: give one of them.")

    def reset(self) -> None:
        self._last_triggered_step: "int | None" = None
        self._last_triggered_time: "float | None" = None

    def should_trigger_for_step(self, step: int) -> bool:
        if self._last_triggered_step is None:
            return True
        if self._last_triggered_step == step:
            return False
        if self._every_secs is not None and time.time() >= self._last_triggered_time + self._every_secs:
            return True
        return self._every_steps is not None and step >= self._last_triggered_step + self._every_steps

    def update_last_triggered_step(self, step: int) -> "tuple[float | None, int | None]":
        """Records a trigger at ``step``; returns the seconds and steps since the last one (None at first)."""
        now = time.time()
        if self._last_triggered_time is None:
            elapsed = (None, None)
        else:
            elapsed = (now - self._last_triggered_time, step - self._last_triggered_step)
        self._last_triggered_time, self._last_triggered_step = now, step
        return elapsed

    def last_triggered_step(self) -> "int | None":
        return self._last_triggered_step


class _NeverTriggerTimer(SecondOrStepTimer):
    def __init__(self):
        self.reset()

    def should_trigger_for_step(self, step: int) -> bool:
        return False


class StopAtStepHook(SessionRunHook):
    """Requests a stop once the global step reaches ``last_step`` (or ``num_steps`` more than at
    the start of the session)."""

    def __init__(self, num_steps: "int | None" = None, last_step: "int | None" = None):
        if num_steps is None and last_step is None:
            raise ValueError("One of num_steps or last_step must be specified.\nFix: e.g. "
                             "tf.train.StopAtStepHook(last_step=1000).")
        if num_steps is not None and last_step is not None:
            raise ValueError("Only one of num_steps or last_step can be specified.\nFix: num_steps counts from the "
                             "step the session starts at, last_step is absolute; give one of them.")
        self._num_steps, self._last_step = num_steps, last_step

    def begin(self):
        self._global_step_tensor = _require_global_step("StopAtStepHook")

    def after_create_session(self, session, coord):
        if self._last_step is None:
            self._last_step = int(session.run(self._global_step_tensor)) + self._num_steps

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values):
        if run_values.results + 1 >= self._last_step:
            step = run_context.session.run(self._global_step_tensor)     # the value after this run's updates
            if step >= self._last_step:
                run_context.request_stop()


class CheckpointSaverListener:
    """Called around each save of a ``CheckpointSaverHook``: ``begin``, ``before_save(session,
    global_step_value)``, ``after_save(...)`` (return True to stop training), ``end``."""

    def begin(self) -> None:
        pass

    def before_save(self, session: Session, global_step_value: int) -> None:
        pass

    def after_save(self, session: Session, global_step_value: int) -> "bool | None":
        pass

    def end(self, session: Session, global_step_value: int) -> None:
        pass


class CheckpointSaverHook(SessionRunHook):
    """Saves ``<checkpoint_dir>/model.ckpt-<step>`` when the session starts, every ``save_steps``
    steps or ``save_secs`` seconds, and at the end."""

    def __init__(self, checkpoint_dir: str, save_secs: "float | None" = None, save_steps: "int | None" = None,
                 saver: Any = None, checkpoint_basename: str = "model.ckpt", scaffold: "Scaffold | None" = None,
                 listeners: Any = None, save_graph_def: bool = True):
        logging.info("Create CheckpointSaverHook.")
        if saver is not None and scaffold is not None:
            raise ValueError("You cannot provide both saver and scaffold.\nFix: give one of them.")
        self._saver, self._scaffold = saver, scaffold
        self._checkpoint_dir = os.fspath(checkpoint_dir)
        self._save_path = os.path.join(self._checkpoint_dir, checkpoint_basename)
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._listeners = list(listeners or [])
        self._steps_per_run = 1000000
        self._save_graph_def = save_graph_def

    def begin(self):
        os.makedirs(self._checkpoint_dir, exist_ok=True)
        self._global_step_tensor = _require_global_step("CheckpointSaverHook")
        for listener in self._listeners:
            listener.begin()

    def after_create_session(self, session, coord):
        global_step = int(session.run(self._global_step_tensor))
        if self._save_graph_def:
            _writer(self._checkpoint_dir).add_graph(get_default_graph())
        self._save(session, global_step)          # the state at the step the session starts at
        self._timer.update_last_triggered_step(global_step)

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values):
        if self._timer.should_trigger_for_step(run_values.results + self._steps_per_run):
            global_step = int(run_context.session.run(self._global_step_tensor))
            if self._timer.should_trigger_for_step(global_step):
                self._timer.update_last_triggered_step(global_step)
                if self._save(run_context.session, global_step):
                    run_context.request_stop()

    def end(self, session):
        last_step = int(session.run(self._global_step_tensor))
        if last_step != self._timer.last_triggered_step():
            self._save(session, last_step)
        for listener in self._listeners:
            listener.end(session, last_step)

    def _save(self, session: Session, step: int) -> bool:
        """Saves a checkpoint; True if a listener asks to stop."""
        for listener in self._listeners:
            listener.before_save(session, step)
        logging.info("Saving checkpoints for %d into %s.", step, self._save_path)
        self._get_saver().save(session, self._save_path, global_step=step, write_meta_graph=self._save_graph_def)
        should_stop = False
        for listener in self._listeners:
            if listener.after_save(session, step):
                logging.info("A CheckpointSaverListener requested that training be stopped. listener: %s", listener)
                should_stop = True
        return should_stop

    def _get_saver(self) -> Any:
        if self._saver is not None:
            return self._saver
        if self._scaffold is not None:
            return self._scaffold.saver
        savers = get_collection(GraphKeys.SAVERS)
        if not savers:
            raise RuntimeError("No items in collection %s. Please add a saver to the collection or provide a saver "
                               "or scaffold.\nFix: CheckpointSaverHook(dir, saver=tf.train.Saver(), ...)."
                               % GraphKeys.SAVERS)
        if len(savers) > 1:
            raise RuntimeError("More than one item in collection %s. Please indicate which one to use by passing it "
                               "to the constructor.\nFix: CheckpointSaverHook(dir, saver=..., ...)."
                               % GraphKeys.SAVERS)
        self._saver = savers[0]
        return self._saver


class StepCounterHook(SessionRunHook):
    """Logs (and, with ``output_dir``, writes as a summary) the training speed, ``global_step/sec``."""

    def __init__(self, every_n_steps: "int | None" = 100, every_n_secs: "float | None" = None,
                 output_dir: "str | None" = None, summary_writer: Any = None):
        if (every_n_steps is None) == (every_n_secs is None):
            raise ValueError("exactly one of every_n_steps and every_n_secs should be provided.\nFix: e.g. "
                             "StepCounterHook(every_n_steps=None, every_n_secs=10).")
        self._timer = SecondOrStepTimer(every_steps=every_n_steps, every_secs=every_n_secs)
        self._summary_writer, self._output_dir = summary_writer, output_dir
        self._steps_per_run = 1

    def begin(self):
        if self._summary_writer is None and self._output_dir:
            self._summary_writer = _writer(self._output_dir)
        self._global_step_tensor = _require_global_step("StepCounterHook")
        self._summary_tag = get_global_step().op.name + "/sec"

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values):
        if self._timer.should_trigger_for_step(run_values.results + self._steps_per_run):
            global_step = int(run_context.session.run(self._global_step_tensor))
            if self._timer.should_trigger_for_step(global_step):
                elapsed_time, elapsed_steps = self._timer.update_last_triggered_step(global_step)
                if elapsed_time:
                    steps_per_sec = elapsed_steps / elapsed_time
                    if self._summary_writer is not None:
                        value = summary.Summary(value=[summary.Summary.Value(tag=self._summary_tag,
                                                                             simple_value=steps_per_sec)])
                        self._summary_writer.add_summary(value, global_step)
                    logging.info("%s: %g", self._summary_tag, steps_per_sec)


def _as_graph_element(obj: Any) -> Any:
    """A tensor, or the tensor named ``obj`` (``"loss"`` means ``"loss:0"``)."""
    graph = get_default_graph()
    if not isinstance(obj, str):
        if getattr(obj, "graph", None) is not graph:
            raise ValueError("Passed %s should have graph attribute that is equal to current graph %s.\nFix: build "
                             "the hook in the graph the session runs." % (obj, graph))
        return obj
    if ":" in obj:
        return graph.as_graph_element(obj)
    element = graph.as_graph_element(obj + ":0")
    try:
        graph.as_graph_element(obj + ":1")
    except (KeyError, ValueError):
        return element
    raise ValueError("Name %s is ambiguous, as this `Operation` has multiple outputs (at least 2).\nFix: name the "
                     "output, e.g. '%s:0'." % (obj, obj))


class LoggingTensorHook(SessionRunHook):
    """Logs the values of ``tensors`` (a list, or a dict of tags) every ``every_n_iter`` runs or
    ``every_n_secs`` seconds (and at the end with ``at_end``), at INFO level:
    ``INFO:tensorflow:loss = 0.25, step = 10 (0.012 sec)``."""

    def __init__(self, tensors: Any, every_n_iter: "int | None" = None, every_n_secs: "float | None" = None,
                 at_end: bool = False, formatter: "Callable | None" = None):
        only_log_at_end = at_end and every_n_iter is None and every_n_secs is None
        if not only_log_at_end and (every_n_iter is None) == (every_n_secs is None):
            raise ValueError("either at_end and/or exactly one of every_n_iter and every_n_secs must be provided."
                             "\nFix: e.g. LoggingTensorHook([loss], every_n_iter=100).")
        if every_n_iter is not None and every_n_iter <= 0:
            raise ValueError("invalid every_n_iter=%s.\nFix: log every 1 or more iterations." % every_n_iter)
        if not isinstance(tensors, dict):
            self._tag_order = list(tensors)
            tensors = {item: item for item in tensors}
        else:
            self._tag_order = sorted(tensors)
        self._tensors = tensors
        self._formatter = formatter
        self._timer = _NeverTriggerTimer() if only_log_at_end else SecondOrStepTimer(every_secs=every_n_secs,
                                                                                     every_steps=every_n_iter)
        self._log_at_end = at_end

    def begin(self):
        self._timer.reset()
        self._iter_count = 0
        self._current_tensors = {tag: _as_graph_element(t) for tag, t in self._tensors.items()}

    def before_run(self, run_context):
        self._should_trigger = self._timer.should_trigger_for_step(self._iter_count)
        return SessionRunArgs(self._current_tensors) if self._should_trigger else None

    def _log_tensors(self, tensor_values: dict) -> None:
        original = np.get_printoptions()
        np.set_printoptions(suppress=True)
        try:
            elapsed_secs, _ = self._timer.update_last_triggered_step(self._iter_count)
            if self._formatter:
                logging.info(self._formatter(tensor_values))
            else:
                stats = ", ".join("%s = %s" % (tag, tensor_values[tag]) for tag in self._tag_order)
                if elapsed_secs is not None:
                    logging.info("%s (%.3f sec)", stats, elapsed_secs)
                else:
                    logging.info("%s", stats)
        finally:
            np.set_printoptions(**original)

    def after_run(self, run_context, run_values):
        if self._should_trigger:
            self._log_tensors(run_values.results)
        self._iter_count += 1

    def end(self, session):
        if self._log_at_end:
            self._log_tensors(session.run(self._current_tensors))


class NanLossDuringTrainingError(RuntimeError):
    def __str__(self) -> str:
        return ("NaN loss during training.\nFix: lower the learning rate, or look for a log of 0 or a division "
                "by zero in the loss (tf.check_numerics finds the first op that makes a NaN).")


class NanTensorHook(SessionRunHook):
    """Stops training when ``loss_tensor`` is NaN: raises ``NanLossDuringTrainingError``
    (``fail_on_nan_loss=False``: logs a warning and requests a stop)."""

    def __init__(self, loss_tensor: Any, fail_on_nan_loss: bool = True):
        self._loss_tensor = loss_tensor
        self._fail_on_nan_loss = fail_on_nan_loss

    def before_run(self, run_context):
        return SessionRunArgs(self._loss_tensor)

    def after_run(self, run_context, run_values):
        if np.isnan(run_values.results):
            failure_message = "Model diverged with loss = NaN."
            if self._fail_on_nan_loss:
                logging.error(failure_message)
                raise NanLossDuringTrainingError
            logging.warning(failure_message)
            run_context.request_stop()


class SummarySaverHook(SessionRunHook):
    """Runs ``summary_op`` (or the scaffold's, ``tf.summary.merge_all()``) every ``save_steps``
    steps or ``save_secs`` seconds and writes the result to ``output_dir`` for TensorBoard."""

    def __init__(self, save_steps: "int | None" = None, save_secs: "float | None" = None,
                 output_dir: "str | None" = None, summary_writer: Any = None, scaffold: "Scaffold | None" = None,
                 summary_op: Any = None):
        if (scaffold is None) == (summary_op is None):
            raise ValueError("Exactly one of scaffold or summary_op should be set.\nFix: e.g. "
                             "SummarySaverHook(save_steps=100, output_dir=..., summary_op=tf.summary.merge_all()).")
        self._summary_op, self._scaffold = summary_op, scaffold
        self._summary_writer, self._output_dir = summary_writer, output_dir
        self._timer = SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)

    def begin(self):
        if self._summary_writer is None and self._output_dir:
            self._summary_writer = _writer(self._output_dir)
        self._next_step = None
        self._global_step_tensor = _require_global_step("SummarySaverHook")

    def _get_summary_op(self) -> "list | None":
        op = self._scaffold.summary_op if self._scaffold is not None else self._summary_op
        if op is None:
            return None
        return list(op) if isinstance(op, (list, tuple)) else [op]

    def before_run(self, run_context):
        self._request_summary = self._next_step is None or self._timer.should_trigger_for_step(self._next_step)
        requests = {"global_step": self._global_step_tensor}
        if self._request_summary and self._get_summary_op() is not None:
            requests["summary"] = self._get_summary_op()
        return SessionRunArgs(requests)

    def after_run(self, run_context, run_values):
        if not self._summary_writer:
            return
        global_step = run_values.results["global_step"] + 1
        if self._next_step is None or self._request_summary:
            global_step = int(run_context.session.run(self._global_step_tensor))
        if self._request_summary:
            self._timer.update_last_triggered_step(global_step)
            for value in run_values.results.get("summary", ()):
                self._summary_writer.add_summary(value, global_step)
        self._next_step = global_step + 1

    def end(self, session=None):
        if self._summary_writer:
            self._summary_writer.flush()


class FinalOpsHook(SessionRunHook):
    """Runs ``final_ops`` when the session closes; their values are in ``final_ops_values``."""

    def __init__(self, final_ops: Any, final_ops_feed_dict: "dict | None" = None):
        self._final_ops = final_ops
        self._final_ops_feed_dict = final_ops_feed_dict
        self._final_ops_values = None

    @property
    def final_ops_values(self) -> Any:
        return self._final_ops_values

    def end(self, session):
        if self._final_ops is None:
            return
        try:
            self._final_ops_values = session.run(self._final_ops, feed_dict=self._final_ops_feed_dict)
        except (errors.OutOfRangeError, StopIteration) as e:
            logging.warning("An OutOfRangeError or StopIteration exception is raised by the code in FinalOpsHook. "
                            "This typically means the Ops running by the FinalOpsHook have a dependency back to "
                            "some input source, which should not happen.")
            raise e


class FeedFnHook(SessionRunHook):
    """Feeds ``feed_fn()`` (a dict) into every run."""

    def __init__(self, feed_fn: Callable):
        self.feed_fn = feed_fn

    def before_run(self, run_context):
        return SessionRunArgs(fetches=None, feed_dict=self.feed_fn())
