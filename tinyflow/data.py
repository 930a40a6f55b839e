"""``tf.data``: input pipelines, ``tf.data.Dataset`` and its iterators (TF1 graph mode).

A :class:`Dataset` is a Python object that *describes* a stream of elements: where they
come from (``from_tensor_slices``, ``range``, ...) and how they are transformed (``batch``,
``shuffle``, ``map``, ...). Each element is one tensor or a tuple/dict of tensors (its
*structure*). Building a dataset computes nothing::

    dataset = tf.data.Dataset.from_tensor_slices(features).shuffle(1000).batch(32)
    next_batch = dataset.make_one_shot_iterator().get_next()   # Tensor("IteratorGetNext:0", ...)
    sess.run(next_batch)                                        # one batch per run

Three kinds of graph ops connect a dataset to a session:

* an iterator op (``OneShotIterator`` or ``IteratorV2``) outputs a *handle* (dtype ``resource``)
  to the iterator's state, which lives in the session: a new session starts again;
* ``MakeIterator`` (``iterator.initializer``) takes the tensors the dataset uses (a random
  tensor, a placeholder, ...), evaluates them and starts the iterator from the beginning;
* ``IteratorGetNext`` (``iterator.get_next()``) advances the iterator by one element each run
  that needs it; every consumer in that run sees the same element. At the end it raises
  ``tf.errors.OutOfRangeError``.

How elements flow: each dataset yields its elements in **blocks**, tuples of numpy arrays
(one per component) whose first axis runs over consecutive elements. A slice dataset yields its
whole arrays as one block, so ``from_tensor_slices(x).batch(128)`` is plain numpy slicing
(a reshape to ``(n // 128, 128, ...)``): the batches are views, not copies. Transformations
that work element by element (``map``, ``filter``, ``shuffle``) yield blocks of one element.

Files: ``TextLineDataset`` yields a file's lines, ``tf.data.experimental.CsvDataset`` its CSV
records (parsed by ``ops/parsing_ops.py``, which ``tf.decode_csv`` uses too), each file as one
block, read when the iterator reaches it. ``make_csv_dataset`` builds a pipeline of those.

A *feedable* iterator (``Iterator.from_string_handle``) reads whichever iterator a string fed at
run time names: ``sess.run(iterator.string_handle())`` gives that string for an iterator.

Functions given to ``map``/``filter``/``flat_map`` are called **once**, when the dataset is
built, on symbolic tensors (``args_0``, ...) in a separate graph (TF's function graph): Python
side effects such as ``print`` happen once. Tensors of the outer graph that the function uses
are *captured*: evaluated when the iterator starts, then fed to every call.
"""
from __future__ import annotations

import collections
import gzip
import itertools
import os
import types
import warnings
import zlib
from typing import Any, Callable, Iterator as _PyIterator

import numpy as np

from .not_provided import module_getattr
from . import dtypes, errors, gfile
from .framework import (Graph, Operation, Tensor, convert_to_tensor, dependencies, get_default_graph,
                        name_scope)
from .op_def_library import short_repr
from .op_registry import NoGradient, is_stateful, primitive, read_value
from .ops import parsing_ops
from .ops.concat_ops import stack
from .ops.random_ops import get_seed
from .tensor_shape import TensorShape, as_shape
from .tensor_util import constant_value

__all__ = ["Dataset", "Iterator", "TextLineDataset", "make_one_shot_iterator", "make_initializable_iterator",
           "get_output_types", "get_output_shapes", "get_output_classes", "AUTOTUNE", "experimental"]

AUTOTUNE = -1
GET_NEXT_CALL_WARNING_THRESHOLD = 32
_MAX_SEED = 2 ** 31 - 1


# --------------------------------------------------------------------------------------------
# Structures: an element is one component, or a (nested) tuple or dict of components
# --------------------------------------------------------------------------------------------
class _Spec:
    """The static type of one component: a dtype and a (possibly partial) shape."""

    __slots__ = ("dtype", "shape")

    def __init__(self, dtype: dtypes.DType, shape: TensorShape):
        self.dtype, self.shape = dtype.base_dtype, as_shape(shape)


def _flatten_structure(structure: Any) -> list:
    """The leaves of a structure, in TF's order (dict values sorted by key)."""
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in _flatten_structure(structure[key])]
    if isinstance(structure, tuple):
        return [leaf for item in structure for leaf in _flatten_structure(item)]
    return [structure]


def _pack_structure(structure: Any, flat: "list | _PyIterator") -> Any:
    """The inverse of :func:`_flatten_structure`: ``structure`` with its leaves replaced by ``flat``."""
    return _pack_structure_from(structure, iter(flat))


def _pack_structure_from(structure: Any, leaves: _PyIterator) -> Any:
    if isinstance(structure, dict):
        packed = {key: _pack_structure_from(structure[key], leaves) for key in sorted(structure)}
        return type(structure)((key, packed[key]) for key in structure)   # the caller's key order
    if isinstance(structure, tuple):
        items = [_pack_structure_from(item, leaves) for item in structure]
        return type(structure)(*items) if hasattr(structure, "_fields") else tuple(items)
    return next(leaves)


def _map_structure(fn: Callable, structure: Any) -> Any:
    return _pack_structure(structure, [fn(leaf) for leaf in _flatten_structure(structure)])


def _structure_text(structure: Any) -> str:
    """How TF 1.15 prints a structure in a dataset's repr: ``(2,)``, ``{a: (), b: (1,)}``."""
    return str(structure).replace("'", "")


# --------------------------------------------------------------------------------------------
# Arguments such as batch_size may be Python ints or scalar tensors
# --------------------------------------------------------------------------------------------
def _int_arg(value: Any, name: str) -> "int | Tensor":
    """A Python int stays an int; a tensor is kept and read when the iterator starts."""
    if isinstance(value, Tensor):
        if not value.dtype.base_dtype.is_integer or value.shape.ndims not in (0, None):
            raise TypeError("`%s` must be a scalar integer tensor, but got %s." % (name, value))
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError("`%s` must be an integer (or a scalar integer tensor), but got %r." % (name, value))
    return int(value)


def _static_int(value: "int | Tensor") -> "int | None":
    if isinstance(value, int):
        return value
    known = constant_value(value)
    return None if known is None else int(known)


class _Env:
    """What a running pipeline needs: the session, the values of the captured tensors and
    per-iterator state of the datasets (shuffle generators)."""

    __slots__ = ("session", "values", "state")

    def __init__(self, session: Any, values: dict):
        self.session, self.values, self.state = session, values, {}

    def int(self, arg: "int | Tensor") -> int:
        return int(self.values[arg]) if isinstance(arg, Tensor) else arg


def _length(block: tuple) -> int:
    return len(block[0])


def _single_rows(blocks: _PyIterator) -> _PyIterator:
    """Splits blocks into blocks of one element (views, no copies)."""
    for block in blocks:
        n = _length(block)
        if n == 1:
            yield block
        else:
            for i in range(n):
                yield tuple(c[i:i + 1] for c in block)


def _elements(blocks: _PyIterator) -> _PyIterator:
    """The elements of a stream of blocks, one tuple of component values each."""
    for block in blocks:
        yield from zip(*block)              # rows of every component, side by side (views)


def _as_block(values: Any) -> tuple:
    """One element (component values) as a block of length 1."""
    return tuple(np.asarray(v)[np.newaxis] for v in values)


def _owned(value: Any) -> np.ndarray:
    """A read-only array no one else can change (fed arrays may be the caller's own)."""
    array = np.asarray(read_value(value))
    if array.flags.writeable:
        array = array.copy()
        array.flags.writeable = False
    return array


def _invalid(message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, None, message)


# --------------------------------------------------------------------------------------------
# Dataset: the public API
# --------------------------------------------------------------------------------------------
class _ElementType:
    """The element type of a Dataset or an Iterator, described by ``self._spec``."""

    _spec: Any

    @property
    def output_types(self) -> Any:
        """The dtype of each component, e.g. ``tf.int32`` or ``(tf.int32, tf.float32)``."""
        return _map_structure(lambda s: s.dtype, self._spec)

    @property
    def output_shapes(self) -> Any:
        """The static shape of each component (``TensorShape``; a batch dim is often ``?``)."""
        return _map_structure(lambda s: s.shape, self._spec)

    @property
    def output_classes(self) -> Any:
        """The Python class of each component: ``tf.Tensor``."""
        return _map_structure(lambda s: Tensor, self._spec)


class Dataset(_ElementType):
    """A sequence of elements, each one tensor or a tuple/dict of tensors.

    Create one with ``Dataset.from_tensor_slices``, ``from_tensors``, ``range``, ``zip`` or
    ``from_generator``; transform it with ``batch``, ``repeat``, ``shuffle``, ``map``, ...
    (each returns a new Dataset); read it through an iterator:
    ``dataset.make_one_shot_iterator().get_next()``.
    """

    def __init__(self, spec: Any, inputs: "tuple[Dataset, ...]" = (), captures: "list[Tensor] | tuple" = ()):
        self._spec = spec                      # structure of _Spec: the element type
        self._inputs = tuple(inputs)           # datasets this one reads
        self._own_captures = list(captures)    # tensors of the graph this dataset uses itself
        self._all_captures: "list[Tensor] | None" = None

    def _blocks(self, env: _Env) -> _PyIterator:
        """Yields the elements as blocks (see the module docstring). Subclasses implement it;
        arguments are checked here, before the first element is asked for."""
        raise NotImplementedError

    def _captures(self) -> "list[Tensor]":
        """Every graph tensor this pipeline needs, in a fixed order, without repeats."""
        if self._all_captures is None:
            found: "dict[Tensor, None]" = {}
            for ds in self._inputs:
                found.update(dict.fromkeys(ds._captures()))
            found.update(dict.fromkeys(self._own_captures))
            self._all_captures = list(found)
        return self._all_captures

    # --- element type: output_types, output_shapes, output_classes (from _ElementType) ---

    def __repr__(self) -> str:
        shapes = _structure_text(_map_structure(lambda s: str(s.shape), self._spec))
        types = _structure_text(_map_structure(lambda s: repr(s.dtype), self._spec))
        return "<DatasetV1Adapter shapes: %s, types: %s>" % (shapes, types)

    def __iter__(self):
        raise RuntimeError("__iter__() is only supported inside of tf.function or when eager execution is "
                           "enabled.\nFix: in graph mode make an iterator and run its get_next() tensor: "
                           "`next_element = dataset.make_one_shot_iterator().get_next()`, then "
                           "`sess.run(next_element)` until it raises tf.errors.OutOfRangeError.")

    # --- sources -----------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors: Any) -> "Dataset":
        """One element per row: slices every component along its first dimension.

        A Python list is *one* tensor (``[[0, 1], [2, 3]]`` gives elements ``[0 1]`` and
        ``[2 3]``); a tuple or dict is a structure of components (``(features, labels)``).
        """
        components, structure = _normalize_element(tensors)
        first = None
        for t in components:
            if t.shape.ndims == 0:
                raise ValueError("Value %s has insufficient rank for batching.\nFix: from_tensor_slices "
                                 "splits each component along its first dimension; use "
                                 "Dataset.from_tensors(...) for a single element." % t)
            dim = t.shape[0].value if t.shape.ndims else None
            if dim is not None:
                if first is not None and first != dim:
                    raise ValueError("Dimensions %d and %d are not compatible\nFix: every component "
                                     "of from_tensor_slices must have the same number of rows (first "
                                     "dimension); here %d and %d." % (first, dim, first, dim))
                first = dim
        spec = _pack_structure(structure, [_Spec(t.dtype, t.shape[1:]) for t in components])
        return _TensorSliceDataset(spec, components)

    @staticmethod
    def from_tensors(tensors: Any) -> "Dataset":
        """A dataset with a single element: ``tensors`` as a whole."""
        components, structure = _normalize_element(tensors)
        spec = _pack_structure(structure, [_Spec(t.dtype, t.shape) for t in components])
        return _TensorsDataset(spec, components)

    @staticmethod
    def range(*args: Any) -> "Dataset":
        """Like Python's ``range``: ``range(5)`` -> 0..4, ``range(2, 10, 3)`` -> 2, 5, 8 (int64)."""
        if not 1 <= len(args) <= 3:
            raise ValueError("Invalid arguments to Dataset.range(): %r (use stop, start and stop, or "
                             "start, stop and step)." % (args,))
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (args + (1,))[:3]
        return _RangeDataset(*[_int_arg(a, n) for a, n in zip((start, stop, step), ("start", "stop", "step"))])

    @staticmethod
    def zip(datasets: Any) -> "Dataset":
        """Pairs up elements: ``zip((a, b))`` gives ``(a_i, b_i)``; stops at the shortest."""
        flat = _flatten_structure(datasets)
        if not flat or not all(isinstance(d, Dataset) for d in flat):
            raise TypeError("The argument to `Dataset.zip()` must be a (nested) tuple or dict of Datasets, "
                            "got %r." % (datasets,))
        return _ZipDataset(_map_structure(lambda d: d._spec, datasets), flat)

    @staticmethod
    def from_generator(generator: Callable, output_types: Any, output_shapes: Any = None,
                       args: Any = None) -> "Dataset":
        """Elements from a Python generator: ``generator()`` is called each time an iterator starts.

        ``output_types`` gives the structure and dtypes of what it yields; values are
        converted to those dtypes and checked against ``output_shapes`` (unknown if omitted).
        """
        if not callable(generator):
            raise TypeError("`generator` must be callable.")
        return _GeneratorDataset(_spec_of(output_types, output_shapes), generator, tuple(args or ()))

    # --- transformations -------------------------------------------------
    def concatenate(self, dataset: "Dataset") -> "Dataset":
        """This dataset's elements followed by ``dataset``'s (same types required)."""
        return _ConcatenateDataset(self, dataset)

    def batch(self, batch_size: Any, drop_remainder: bool = False) -> "Dataset":
        """Stacks ``batch_size`` consecutive elements into one; the last batch may be smaller
        (its static batch dimension is therefore ``?``) unless ``drop_remainder=True``."""
        return _BatchDataset(self, _int_arg(batch_size, "batch_size"), bool(drop_remainder))

    def padded_batch(self, batch_size: Any, padded_shapes: Any = None, padding_values: Any = None,
                     drop_remainder: bool = False) -> "Dataset":
        """Like ``batch``, but pads each component to ``padded_shapes`` (``None`` dims: to the
        largest in the batch) with ``padding_values`` (default 0, or b"" for strings)."""
        return _PaddedBatchDataset(self, _int_arg(batch_size, "batch_size"), padded_shapes, padding_values,
                                   bool(drop_remainder))

    def repeat(self, count: Any = None) -> "Dataset":
        """Repeats the dataset ``count`` times; ``None`` or ``-1`` repeats forever."""
        return _RepeatDataset(self, -1 if count is None else _int_arg(count, "count"))

    def shuffle(self, buffer_size: Any, seed: "int | None" = None,
                reshuffle_each_iteration: "bool | None" = None) -> "Dataset":
        """Shuffles with a buffer: fills ``buffer_size`` elements, outputs one picked at random and
        puts the next input element in its place. With ``reshuffle_each_iteration`` (the default)
        every epoch of a following ``repeat`` gets a new order."""
        return _ShuffleDataset(self, _int_arg(buffer_size, "buffer_size"), seed,
                               True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration))

    def map(self, map_func: Callable, num_parallel_calls: Any = None) -> "Dataset":
        """Applies ``map_func`` to each element. A tuple element is unpacked into arguments
        (``lambda x, y: ...``); ``map_func`` is traced once, on symbolic tensors."""
        return _MapDataset(self, map_func)

    def filter(self, predicate: Callable) -> "Dataset":
        """Keeps the elements for which ``predicate`` (a scalar ``tf.bool`` tensor) is True."""
        return _FilterDataset(self, predicate)

    def flat_map(self, map_func: Callable) -> "Dataset":
        """``map_func`` returns a Dataset for each element; their elements are chained."""
        return _FlatMapDataset(self, map_func, cycle_length=1, block_length=1)

    def interleave(self, map_func: Callable, cycle_length: int = AUTOTUNE, block_length: int = 1,
                   num_parallel_calls: Any = None) -> "Dataset":
        """Like ``flat_map``, but takes ``block_length`` elements in turn from ``cycle_length``
        inner datasets open at once."""
        if cycle_length in (None, AUTOTUNE):
            cycle_length = os.cpu_count() or 1
        if cycle_length <= 0 or block_length <= 0:
            raise ValueError("cycle_length and block_length must be positive.")
        return _FlatMapDataset(self, map_func, int(cycle_length), int(block_length))

    def take(self, count: Any) -> "Dataset":
        """The first ``count`` elements (``-1``: all)."""
        return _TakeDataset(self, _int_arg(count, "count"))

    def skip(self, count: Any) -> "Dataset":
        """All but the first ``count`` elements (``-1``: skips everything)."""
        return _SkipDataset(self, _int_arg(count, "count"))

    def shard(self, num_shards: Any, index: Any) -> "Dataset":
        """Every ``num_shards``-th element, starting at ``index``."""
        num_shards, index = int(num_shards), int(index)
        if num_shards <= 0 or not 0 <= index < num_shards:
            raise ValueError("Invalid shard: need num_shards > 0 and 0 <= index < num_shards, got %d and %d."
                             % (num_shards, index))
        return _ShardDataset(self, num_shards, index)

    def prefetch(self, buffer_size: Any) -> "Dataset":
        """Prepares elements ahead of time in TF; here it changes nothing."""
        if isinstance(buffer_size, Tensor):
            if not buffer_size.dtype.is_integer or buffer_size.shape.ndims not in (None, 0):
                raise TypeError("prefetch's buffer_size must be an integer scalar, not %s.\nFix: e.g. prefetch(1)."
                                % buffer_size)
        elif buffer_size is not None:                 # (None: as TensorFlow, let it tune itself)
            if isinstance(buffer_size, bool) or not isinstance(buffer_size, (int, np.integer)):
                raise TypeError("Expected int64, but got %s of type '%s'.\nFix: buffer_size is a number of "
                                "elements, e.g. prefetch(1)." % (short_repr(buffer_size), type(buffer_size).__name__))
        if isinstance(buffer_size, (int, np.integer)) and buffer_size < -1:
            raise ValueError("buffer_size must be >= 0 or set buffer_size to be -1 for auto-tuning (got %d).\n"
                             "Fix: e.g. prefetch(1), or prefetch(tf.data.AUTOTUNE)." % buffer_size)
        return _PassThroughDataset(self)

    def cache(self, filename: str = "") -> "Dataset":
        """Keeps elements after the first epoch in TF; here it changes nothing (data is in memory)."""
        return _PassThroughDataset(self)

    def apply(self, transformation_func: Callable) -> "Dataset":
        """``transformation_func(self)``, which must return a Dataset."""
        result = transformation_func(self)
        if not isinstance(result, Dataset):
            raise TypeError("`transformation_func` must return a Dataset, got %r." % (result,))
        return result

    def unbatch(self) -> "Dataset":
        """Splits each element into its rows (the inverse of ``batch``); in TF 1.15 written
        ``dataset.apply(tf.data.experimental.unbatch())``."""
        return _UnbatchDataset(self)

    # --- iterators -------------------------------------------------------
    def make_one_shot_iterator(self) -> "Iterator":
        """An iterator that needs no initialization; it cannot use placeholders or stateful
        tensors (random values, variables): use :meth:`make_initializable_iterator` for those."""
        _check_capturable_by_value(self._captures())
        graph = _graph_for(self)
        op = graph.create_op("OneShotIterator", [], [dtypes.resource], name="OneShotIterator",
                             attrs=dict(_iterator_attrs(self._spec), dataset=self), shapes=[TensorShape([])])
        return Iterator(op.outputs[0], None, self._spec)

    def make_initializable_iterator(self, shared_name: "str | None" = None) -> "Iterator":
        """An iterator that starts (again) each time ``sess.run(iterator.initializer)`` runs,
        evaluating the tensors the dataset uses (feed its placeholders in that run)."""
        graph = _graph_for(self)
        resource = graph.create_op("IteratorV2", [], [dtypes.resource], name="IteratorV2",
                                   attrs=dict(_iterator_attrs(self._spec), shared_name=shared_name or ""),
                                   shapes=[TensorShape([])]).outputs[0]
        iterator = Iterator(resource, None, self._spec)
        iterator._initializer = iterator.make_initializer(self)
        return iterator


def _flatten_like(structure: Any, value: Any, what: str) -> list:
    """``value``'s leaves, where ``value`` follows ``structure`` (its leaves may be shapes)."""
    try:
        return _flatten_as(structure, value)
    except ValueError:
        raise TypeError("`%s` must have the same structure as the elements, %s; got %r."
                        % (what, _structure_text(_map_structure(lambda s: "x", structure)), value)) from None


def _shape_arg(shape: Any, what: str) -> TensorShape:
    try:
        return as_shape(shape)
    except (TypeError, ValueError):
        raise TypeError("`%s`: %r is not a shape (a list of sizes, None for unknown)." % (what, shape)) from None


def _spec_of(output_types: Any, output_shapes: Any) -> Any:
    """The element spec for user-given types and (optional) shapes of the same structure."""
    types = _map_structure(dtypes.as_dtype, output_types)
    shapes = ([TensorShape(None)] * len(_flatten_structure(types)) if output_shapes is None else
              [_shape_arg(s, "output_shapes") for s in _flatten_like(types, output_shapes, "output_shapes")])
    return _pack_structure(types, [_Spec(t, s) for t, s in zip(_flatten_structure(types), shapes)])


def _normalize_element(tensors: Any) -> "tuple[list[Tensor], Any]":
    """Converts the leaves of ``tensors`` (a tensor, or a tuple/dict structure) to tensors named
    ``normalize_element/component_<i>``, as TF 1.15 does (so no ``Const`` names are used)."""
    structure = tensors
    leaves = _flatten_structure(structure)
    if not leaves:
        raise ValueError("A dataset element needs at least one component, got %r." % (tensors,))
    with name_scope("normalize_element"):
        components = [_to_tensor(leaf, "component_%d" % i) for i, leaf in enumerate(leaves)]
    return components, structure


def _to_tensor(value: Any, name: str) -> Tensor:
    if isinstance(value, Dataset):
        raise TypeError("A Dataset cannot be a component of a dataset element. (Use Dataset.zip to "
                        "combine datasets.)")
    if isinstance(value, list) and any(isinstance(v, Tensor) for v in _flatten_list(value)):
        return stack(value, name=name)          # a list of tensors is packed into one tensor
    return convert_to_tensor(value, name=name)


def _flatten_list(value: list) -> list:
    return [leaf for v in value for leaf in (_flatten_list(v) if isinstance(v, list) else [v])]


def _graph_for(dataset: Dataset) -> Graph:
    captures = dataset._captures()
    return captures[0].graph if captures else get_default_graph()


# --------------------------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------------------------
class _TensorSliceDataset(Dataset):
    """``from_tensor_slices``: the whole component arrays form one block."""

    def __init__(self, spec: Any, components: "list[Tensor]"):
        super().__init__(spec, captures=components)
        self._components = components

    def _blocks(self, env: _Env) -> _PyIterator:
        arrays = tuple(env.values[t] for t in self._components)
        for t, a in zip(self._components, arrays):
            if a.ndim == 0:
                raise _invalid("Value %s has insufficient rank for batching (it was fed a scalar)." % t)
        sizes = sorted({len(a) for a in arrays})
        if len(sizes) > 1:
            raise _invalid("All components must have the same size in the 0th dimension, got sizes %s."
                           % [len(a) for a in arrays])
        return iter([arrays] if sizes[0] else [])


class _TensorsDataset(Dataset):
    """``from_tensors``: one element."""

    def __init__(self, spec: Any, components: "list[Tensor]"):
        super().__init__(spec, captures=components)
        self._components = components

    def _blocks(self, env: _Env) -> _PyIterator:
        return iter([_as_block(env.values[t] for t in self._components)])


class _RangeDataset(Dataset):
    """``range``: int64 scalars, produced lazily in blocks of 1024."""

    def __init__(self, start: "int | Tensor", stop: "int | Tensor", step: "int | Tensor"):
        args = (start, stop, step)
        super().__init__(_Spec(dtypes.int64, TensorShape([])),
                         captures=[a for a in args if isinstance(a, Tensor)])
        self._args = args

    def _blocks(self, env: _Env) -> _PyIterator:
        start, stop, step = (env.int(a) for a in self._args)
        if step == 0:
            raise _invalid("step must be a non-zero integer.")
        values = range(start, stop, step)
        return ((np.arange(r.start, r.stop, r.step, dtype=np.int64),)
                for r in (values[i:i + 1024] for i in range(0, len(values), 1024)))


class _GeneratorDataset(Dataset):
    """``from_generator``: calls the Python generator when the iterator starts."""

    def __init__(self, spec: Any, generator: Callable, args: tuple):
        super().__init__(spec)
        self._generator, self._args = generator, args

    def _blocks(self, env: _Env) -> _PyIterator:
        return self._convert(iter(self._generator(*self._args)))

    def _convert(self, values: _PyIterator) -> _PyIterator:
        specs = _flatten_structure(self._spec)
        for value in values:
            try:
                flat = _flatten_as(self._spec, value)
            except ValueError:
                raise _invalid("`generator` yielded an element that did not match the expected structure. "
                               "The expected structure was %s, but the yielded element was %r."
                               % (_structure_text(_map_structure(lambda s: repr(s.dtype), self._spec)),
                                  value)) from None
            arrays = []
            for v, s in zip(flat, specs):
                try:
                    a = np.array(v, dtype=s.dtype.as_numpy_dtype)      # a copy: generators reuse buffers
                except (TypeError, ValueError):
                    raise _invalid("`generator` yielded an element that could not be converted to the "
                                   "expected type. The expected type was %s, but the yielded element "
                                   "was %r." % (s.dtype.name, v)) from None
                if not s.shape.is_compatible_with(TensorShape(a.shape)):
                    raise _invalid("`generator` yielded an element of shape %s where an element of shape "
                                   "%s was expected." % (TensorShape(a.shape), s.shape))
                arrays.append(a)
            yield _as_block(arrays)


def _flatten_as(structure: Any, value: Any) -> list:
    """Flattens ``value`` following ``structure``; ValueError if it has another structure."""
    if isinstance(structure, dict):
        if not isinstance(value, dict) or set(value) != set(structure):
            raise ValueError(value)
        return [leaf for key in sorted(structure) for leaf in _flatten_as(structure[key], value[key])]
    if isinstance(structure, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(structure):
            raise ValueError(value)
        return [leaf for s, v in zip(structure, value) for leaf in _flatten_as(s, v)]
    return [value]


# --------------------------------------------------------------------------------------------
# Files: TextLineDataset, tf.data.experimental.CsvDataset and make_csv_dataset
# --------------------------------------------------------------------------------------------
def _filenames_tensor(filenames: Any) -> Tensor:
    """``filenames`` (a path, a list of paths or a string tensor) as a string tensor; TF reads the
    files in order, when the iterator asks for their lines."""
    if isinstance(filenames, Tensor):
        t = filenames
    else:
        values = filenames if isinstance(filenames, (list, tuple)) else [filenames]
        values = [os.fspath(v) if isinstance(v, os.PathLike) else v for v in values]
        strings = all(isinstance(v, (str, bytes)) for v in values)
        value = values if isinstance(filenames, (list, tuple)) else values[0]
        if isinstance(value, (list, tuple)) and not value:
            value = np.zeros([0], dtype=object)       # no files: an empty dataset
        t = convert_to_tensor(value, dtype=dtypes.string if strings else None, name="filenames")
    if t.dtype.base_dtype is not dtypes.string:
        raise TypeError("The `filenames` argument must contain `tf.string` elements. Got `tf.%s` elements.\nFix: "
                        "give the paths as strings, e.g. TextLineDataset(['train.csv', 'more.csv'])."
                        % t.dtype.base_dtype.name)
    return t


def _compression(compression_type: Any) -> str:
    value = "" if compression_type is None else compression_type
    if value not in ("", "GZIP", "ZLIB"):
        raise ValueError("Received unknown `compression_type` %r. Expected: GZIP, ZLIB or \"\" (empty string)."
                         % (compression_type,))
    return value


def _paths(value: Any) -> "list[str]":
    return [p.decode() if isinstance(p, bytes) else str(p) for p in np.asarray(value, dtype=object).reshape(-1)]


def _read_lines(path: str, compression: str) -> np.ndarray:
    """A file's lines as bytes, without their ``\\n`` (or ``\\r\\n``), as TF's TextLineDataset reads them."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, "%s; No such file or directory\nFix: check the path (a relative "
                                   "path starts from the current directory, os.getcwd())." % path) from None
    except IsADirectoryError:
        raise errors.FailedPreconditionError(None, None, "%s; Is a directory\nFix: give the files' paths, e.g. "
                                             "tf.gfile.Glob('data/*.csv')." % path) from None
    if compression == "GZIP":
        data = gzip.decompress(data)
    elif compression == "ZLIB":
        data = zlib.decompress(data)
    lines = data.replace(b"\r\n", b"\n").split(b"\n")
    if lines[-1] == b"":
        lines.pop()                               # the newline that ends the last line
    out = np.empty(len(lines), dtype=object)
    out[:] = lines
    return out


class TextLineDataset(Dataset):
    """The lines of one or more text files, in order: ``tf.string`` scalars without the newline.

    ``tf.data.TextLineDataset("train.csv").skip(1).map(lambda line: tf.decode_csv(line, [[0], [0.0]]))``
    reads a CSV file past its header. A missing file is a ``tf.errors.NotFoundError`` when the
    iterator reaches it (``get_next``), as in TensorFlow.
    """

    def __init__(self, filenames: Any, compression_type: "str | None" = None, buffer_size: Any = None):
        self._filenames = _filenames_tensor(filenames)
        self._compression = _compression(compression_type)
        super().__init__(_Spec(dtypes.string, TensorShape([])), captures=[self._filenames])

    def _blocks(self, env: _Env) -> _PyIterator:
        return self._read(env)

    def _read(self, env: _Env) -> _PyIterator:
        for path in _paths(env.values[self._filenames]):        # each file opened when reached
            lines = _read_lines(path, self._compression)
            if len(lines):
                yield (lines,)


class CsvDataset(Dataset):
    """``tf.data.experimental.CsvDataset``: the records of CSV files, one tuple of scalars each.

    ``record_defaults`` gives each column's dtype and the value of an empty field, as in
    ``tf.decode_csv`` (a dtype, e.g. ``tf.int32``, makes the field required); ``select_cols``
    picks columns by index (increasing); ``header=True`` skips each file's first line.
    """

    def __init__(self, filenames: Any, record_defaults: Any, compression_type: "str | None" = None,
                 buffer_size: Any = None, header: bool = False, field_delim: str = ",",
                 use_quote_delim: bool = True, na_value: str = "", select_cols: Any = None):
        self._filenames = _filenames_tensor(filenames)
        self._compression = _compression(compression_type)
        self._defaults = parsing_ops.csv_defaults(record_defaults, "record_defaults")
        for d in self._defaults:
            if (d.shape.ndims or 0) > 1 or (d.shape.num_elements() or 0) > 1:
                raise ValueError("Shape of a default must be a length-0 or length-1 vector, or a scalar (got %s)."
                                 "\nFix: one default value per column, e.g. [[0], [0.0], ['']]." % d.shape)
        self._attrs = parsing_ops.csv_attrs(field_delim, use_quote_delim, na_value, select_cols)
        self._header = bool(header)
        spec = tuple(_Spec(d.dtype, TensorShape([])) for d in self._defaults)
        super().__init__(spec, captures=[self._filenames] + self._defaults)

    def _blocks(self, env: _Env) -> _PyIterator:
        return self._read(env)

    def _read(self, env: _Env) -> _PyIterator:
        defaults = [env.values[d] for d in self._defaults]
        types = [d.dtype.base_dtype for d in self._defaults]
        a = self._attrs
        args = (defaults, types, a["field_delim"], a["use_quote_delim"], a["na_value"], a["select_cols"])
        for path in _paths(env.values[self._filenames]):
            lines = _read_lines(path, self._compression)[1 if self._header else 0:]
            if not len(lines):
                continue
            try:
                columns = parsing_ops.parse_csv(lines, *args, numbered=False, empty_is_field=True)
            except errors.InvalidArgumentError as e:
                if getattr(e, "record", None):        # as TF: the records before a bad one come out first
                    yield tuple(parsing_ops.parse_csv(lines[:e.record], *args, numbered=False, empty_is_field=True))
                raise
            yield tuple(columns)


def make_csv_dataset(file_pattern: Any, batch_size: int, column_names: Any = None, column_defaults: Any = None,
                     label_name: "str | None" = None, select_columns: Any = None, field_delim: str = ",",
                     use_quote_delim: bool = True, na_value: str = "", header: bool = True,
                     num_epochs: "int | None" = None, shuffle: bool = True, shuffle_buffer_size: int = 10000,
                     shuffle_seed: "int | None" = None, prefetch_buffer_size: Any = None,
                     num_parallel_reads: "int | None" = None, sloppy: bool = False,
                     num_rows_for_inference: "int | None" = 100, compression_type: "str | None" = None,
                     ignore_errors: bool = False) -> Dataset:
    """``tf.data.experimental.make_csv_dataset``: batches of CSV records as a dict of columns
    (an ``OrderedDict`` in the file's column order), or ``(features, label)`` with ``label_name``.

    Column names come from the header line unless given; each column's dtype, unless
    ``column_defaults`` gives it, is inferred from the first ``num_rows_for_inference`` records:
    the first of int32, int64, float32, float64 and string that fits every value. With
    ``num_epochs=None`` the data repeats forever and every batch is full (a static batch size).
    """
    patterns = file_pattern if isinstance(file_pattern, (list, tuple)) else [file_pattern]
    if not patterns:
        raise ValueError("Argument `file_pattern` should not be empty.")
    filenames = sorted(name for p in patterns for name in gfile.Glob(p))
    if not filenames:
        raise ValueError("No files match `file_pattern` %s.\nFix: check the pattern, e.g. 'data/*.csv' (a "
                         "relative one starts from the current directory, os.getcwd())." % (file_pattern,))
    compression = _compression(compression_type)
    read_rows = (lambda name, count=None: parsing_ops.read_csv_rows(
        [line.decode("utf-8") for line in _read_lines(name, compression)[:count]], field_delim, use_quote_delim))
    if column_names is None:
        if not header:
            raise ValueError("Expected `column_names` or `header` arguments. Neither is provided.")
        column_names = _csv_header(filenames, read_rows)
    column_names = list(column_names)
    if len(column_names) != len(set(column_names)):
        duplicates = {n for n in column_names if column_names.count(n) > 1}
        raise ValueError("Either `column_names` argument or CSV header row contains duplicate column names: %s."
                         % duplicates)
    select = None if select_columns is None else _sorted_col_indices(select_columns, column_names)
    if column_defaults is None:
        column_defaults = _infer_column_defaults(filenames, read_rows, len(column_names), na_value, header,
                                                 num_rows_for_inference, select)
    if select is not None and len(column_defaults) != len(select):
        raise ValueError("If specified, `column_defaults` and `select_columns` must have the same length: "
                         "`column_defaults` has length %d, `select_columns` has length %d."
                         % (len(column_defaults), len(select)))
    if select is not None and len(column_names) > len(select):
        column_names = [column_names[i] for i in select]
    if label_name is not None and label_name not in column_names:
        raise ValueError("`label_name` provided must be one of the columns: %s. Received: %s."
                         % (column_names, label_name))
    defaults = [np.zeros([0], dtypes.as_dtype(d).as_numpy_dtype)
                if isinstance(d, dtypes.DType) and d in parsing_ops.CSV_TYPES else d for d in column_defaults]
    defaults = parsing_ops.csv_defaults(defaults, "column_defaults")

    def read_file(filename: Tensor) -> Dataset:
        return CsvDataset(filename, defaults, compression_type=compression, header=header, field_delim=field_delim,
                          use_quote_delim=use_quote_delim, na_value=na_value, select_cols=select)

    dataset = Dataset.from_tensor_slices(filenames)
    if shuffle:
        dataset = dataset.shuffle(len(filenames), shuffle_seed)
    reads = 1 if num_parallel_reads in (None, AUTOTUNE) else int(num_parallel_reads)
    dataset = dataset.interleave(read_file, cycle_length=reads, block_length=1)
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)
    features = collections.OrderedDict((name, name) for name in column_names)
    if label_name is None:
        return _RestructureDataset(dataset, tuple(column_names), features)
    label = features.pop(label_name)
    return _RestructureDataset(dataset, tuple(column_names), (features, label))


def _csv_header(filenames: "list[str]", read_rows: Callable) -> "list[str]":
    names = None
    for name in filenames:
        rows = read_rows(name, 1)
        if not rows:
            raise ValueError("Failed when reading the header line of %s. Is it an empty file?" % name)
        if names is None:
            names = rows[0]
        elif rows[0] != names:
            raise ValueError("All input CSV files should have the same column names in the header row. File %s "
                             "has different column names." % name)
    return names


def _sorted_col_indices(select_columns: Any, column_names: "list[str]") -> "list[int]":
    index = {n: i for i, n in enumerate(column_names)}
    results = []
    for v in select_columns:
        if isinstance(v, int):
            if not 0 <= v < len(column_names):
                raise ValueError("Column index %d specified in `select_columns` should be > 0  and <= %d, which "
                                 "is the number of columns." % (v, len(column_names)))
            results.append(v)
        elif v not in index:
            raise ValueError("Column %s specified in `select_columns` must be of one of the columns: %s."
                             % (v, list(index)))
        else:
            results.append(index[v])
    if len(set(results)) != len(results):
        raise ValueError("The `select_columns` argument contains duplicate columns: %s."
                         % {r for r in results if results.count(r) > 1})
    return sorted(results)


def _infer_column_defaults(filenames: "list[str]", read_rows: Callable, num_cols: int, na_value: str, header: bool,
                           limit: "int | None", select: "list[int] | None") -> list:
    """TF's defaults for columns it infers: ``[0]`` of the column's type, ``[""]`` for strings."""
    rows: list = []
    for name in filenames:
        if limit is not None and len(rows) >= limit:
            break
        file_rows = read_rows(name, None if limit is None else limit - len(rows) + int(header))[int(header):]
        for k, row in enumerate(file_rows):
            if len(row) != num_cols:
                raise ValueError("Problem inferring types: CSV row %d has %d number of fields. Expected: %d."
                                 % (k + 1 + int(header), len(row), num_cols))
        rows.extend(file_rows)
    rows = rows[:limit]
    columns = list(zip(*rows)) if rows else [()] * num_cols
    types = [parsing_ops.infer_csv_type(list(columns[j]), na_value) for j in (select or range(num_cols))]
    return [np.array(["" if t is dtypes.string else 0], dtype=t.as_numpy_dtype) for t in types]


# --------------------------------------------------------------------------------------------
# Transformations
# --------------------------------------------------------------------------------------------
class _PassThroughDataset(Dataset):
    """``prefetch`` and ``cache``: the same elements."""

    def __init__(self, input_dataset: Dataset):
        super().__init__(input_dataset._spec, [input_dataset])

    def _blocks(self, env: _Env) -> _PyIterator:
        return self._inputs[0]._blocks(env)


class _UnbatchDataset(Dataset):
    """``unbatch``: each element's rows become elements; a block (n, b, ...) is reshaped to
    (n * b, ...), a view."""

    def __init__(self, input_dataset: Dataset):
        specs = _flatten_structure(input_dataset._spec)
        if any(s.shape.ndims == 0 for s in specs):
            raise ValueError("Cannot unbatch an input with scalar components.\nFix: unbatch undoes batch(): every "
                             "component needs a first (batch) dimension; use the dataset as it is.")
        spec = _map_structure(lambda s: _Spec(s.dtype, s.shape[1:] if s.shape.ndims else TensorShape(None)),
                              input_dataset._spec)
        super().__init__(spec, [input_dataset])

    def _blocks(self, env: _Env) -> _PyIterator:
        return self._unbatch(self._inputs[0]._blocks(env))

    @staticmethod
    def _unbatch(blocks: _PyIterator) -> _PyIterator:
        for block in blocks:
            if not _length(block):
                continue
            for j, c in enumerate(block):
                if c.ndim < 2:
                    raise _invalid("Cannot unbatch a scalar component (component %d of an element).\nFix: every "
                                   "component needs a first (batch) dimension." % j)
                if c.shape[1] != block[0].shape[1]:
                    raise _invalid("Input element must have the same batch size in each component. Component 0 "
                                   "had size %d but component %d had size, %d.\nFix: give every component the "
                                   "same number of rows." % (block[0].shape[1], j, c.shape[1]))
            if block[0].shape[1]:
                yield tuple(c.reshape((-1,) + c.shape[2:]) for c in block)


class _RestructureDataset(Dataset):
    """The same components under another structure (``make_csv_dataset``'s dict of columns):
    ``names`` names the input's components in order; ``structure`` holds those names as leaves."""

    def __init__(self, input_dataset: Dataset, names: tuple, structure: Any):
        specs = _flatten_structure(input_dataset._spec)
        self._order = [names.index(leaf) for leaf in _flatten_structure(structure)]
        super().__init__(_pack_structure(structure, [specs[k] for k in self._order]), [input_dataset])

    def _blocks(self, env: _Env) -> _PyIterator:
        order = self._order
        return (tuple([block[k] for k in order]) for block in self._inputs[0]._blocks(env))


class _BatchDataset(Dataset):
    """``batch``: slices of the input blocks, joined when a batch spans several blocks."""

    def __init__(self, input_dataset: Dataset, batch_size: "int | Tensor", drop_remainder: bool):
        size = _static_int(batch_size) if drop_remainder else None
        spec = _map_structure(lambda s: _Spec(s.dtype, TensorShape([size]).concatenate(s.shape)),
                              input_dataset._spec)
        super().__init__(spec, [input_dataset], [batch_size] if isinstance(batch_size, Tensor) else [])
        self._batch_size, self._drop_remainder = batch_size, drop_remainder

    def _blocks(self, env: _Env) -> _PyIterator:
        size = env.int(self._batch_size)
        if size <= 0:
            raise _invalid("Batch size must be greater than zero.")
        return self._batches(self._inputs[0]._blocks(env), size)

    def _batches(self, blocks: _PyIterator, size: int) -> _PyIterator:
        """Whole batches inside a block are a reshape of it, (n, ...) -> (n // size, size, ...):
        a view, no copy. Only a batch that spans two blocks is copied together."""
        parts, have = [], 0                     # a batch being put together from block ends
        for block in blocks:
            n, start = _length(block), 0
            if have:                            # first complete the pending batch
                start = min(size - have, n)
                parts.append(tuple([c[:start] for c in block]))
                have += start
                if have < size:
                    continue
                yield _as_batch_element(_join(parts))
                parts, have = [], 0
            whole = (n - start) // size
            if whole:
                end = start + whole * size
                yield tuple([c[start:end].reshape((whole, size) + c.shape[1:]) for c in block])
                start = end
            if start < n:
                parts, have = [tuple([c[start:] for c in block])], n - start
        if parts and not self._drop_remainder:
            yield _as_batch_element(_join(parts))


def _join(parts: "list[tuple]") -> tuple:
    """Concatenates blocks along the element axis (one part: returned as it is, no copy)."""
    if len(parts) == 1:
        return parts[0]
    joined = []
    for j in range(len(parts[0])):
        first = parts[0][j].shape[1:]
        for p in parts:
            if p[j].shape[1:] != first:
                raise _invalid("Cannot batch tensors with different shapes in component %d. First element "
                               "had shape %s and element %d had shape %s.\nFix: make every element the "
                               "same shape (e.g. in map), or use padded_batch."
                               % (j, _dims_text(first), _index_of(parts, p), _dims_text(p[j].shape[1:])))
        joined.append(np.concatenate([p[j] for p in parts]))
    return tuple(joined)


def _index_of(parts: list, part: tuple) -> int:
    i = 0
    for p in parts:
        if p is part:
            return i
        i += _length(p)
    return i


def _dims_text(shape: tuple) -> str:
    return "[%s]" % ",".join(str(d) for d in shape)


def _as_batch_element(batch: tuple) -> tuple:
    return tuple(c[np.newaxis] for c in batch)


class _PaddedBatchDataset(Dataset):
    """``padded_batch``: stacks elements after padding them to a common shape."""

    def __init__(self, input_dataset: Dataset, batch_size: "int | Tensor", padded_shapes: Any,
                 padding_values: Any, drop_remainder: bool):
        specs = _flatten_structure(input_dataset._spec)
        if padded_shapes is None:
            shapes = [TensorShape(None if s.shape.ndims is None else [None] * s.shape.ndims) for s in specs]
        else:
            shapes = [_shape_arg(s, "padded_shapes")
                      for s in _flatten_like(input_dataset._spec, padded_shapes, "padded_shapes")]
        for s, p in zip(specs, shapes):
            if s.shape.ndims is not None and p.ndims is not None and s.shape.ndims != p.ndims:
                raise ValueError("The padded shape %s is not compatible with the component shape %s "
                                 "(different ranks)." % (p, s.shape))
        if padding_values is None:
            values = [b"" if s.dtype is dtypes.string else 0 for s in specs]
        else:
            values = _flatten_like(input_dataset._spec, padding_values, "padding_values")
        size = _static_int(batch_size) if drop_remainder else None
        spec = _pack_structure(input_dataset._spec, [_Spec(s.dtype, TensorShape([size]).concatenate(p))
                                           for s, p in zip(specs, shapes)])
        super().__init__(spec, [input_dataset], [batch_size] if isinstance(batch_size, Tensor) else [])
        self._batch_size, self._drop_remainder = batch_size, drop_remainder
        self._shapes, self._values = shapes, values

    def _blocks(self, env: _Env) -> _PyIterator:
        size = env.int(self._batch_size)
        if size <= 0:
            raise _invalid("Batch size must be greater than zero.")
        return self._batches(_elements(self._inputs[0]._blocks(env)), size)

    def _batches(self, elements: _PyIterator, size: int) -> _PyIterator:
        while True:
            batch = list(itertools.islice(elements, size))
            if not batch or (len(batch) < size and self._drop_remainder):
                return
            yield _as_batch_element([self._pad([e[j] for e in batch], j) for j in range(len(batch[0]))])

    def _pad(self, values: list, j: int) -> np.ndarray:
        values = [np.asarray(v) for v in values]
        padded = self._shapes[j]
        rank = values[0].ndim
        if any(v.ndim != rank for v in values):
            raise _invalid("All elements in a batch must have the same rank as the padded shape for "
                           "component %d." % j)
        target = [max(v.shape[k] for v in values) if padded.ndims is None or padded[k].value is None
                  else padded[k].value for k in range(rank)]
        out = np.full([len(values)] + target, self._values[j], dtype=values[0].dtype)
        for i, v in enumerate(values):
            if any(d > t for d, t in zip(v.shape, target)):
                raise _invalid("Attempted to pad to a smaller size than the input element (component %d: "
                               "element shape %s, padded shape %s)." % (j, _dims_text(v.shape), _dims_text(target)))
            out[(i,) + tuple(slice(0, d) for d in v.shape)] = v
        return out


class _RepeatDataset(Dataset):
    """``repeat``: runs through the input again, ``count`` times or forever."""

    def __init__(self, input_dataset: Dataset, count: "int | Tensor"):
        super().__init__(input_dataset._spec, [input_dataset], [count] if isinstance(count, Tensor) else [])
        self._count = count

    def _blocks(self, env: _Env) -> _PyIterator:
        return self._epochs(env, env.int(self._count))

    def _epochs(self, env: _Env, count: int) -> _PyIterator:
        epoch = 0
        while count < 0 or epoch < count:
            empty = True
            for block in self._inputs[0]._blocks(env):
                if _length(block):
                    empty = False
                    yield block
            if empty:           # repeating an empty dataset forever would never end
                return
            epoch += 1


class _ShuffleDataset(Dataset):
    """``shuffle``: TF's buffer algorithm with a numpy generator seeded like the random ops."""

    def __init__(self, input_dataset: Dataset, buffer_size: "int | Tensor", seed: "int | None", reshuffle: bool):
        super().__init__(input_dataset._spec, [input_dataset],
                         [buffer_size] if isinstance(buffer_size, Tensor) else [])
        self._buffer_size, self._reshuffle = buffer_size, reshuffle
        self._seeds = get_seed(seed)      # fixed now, when the dataset is built (as in TF)

    def _blocks(self, env: _Env) -> _PyIterator:
        size = env.int(self._buffer_size)
        if size <= 0:
            raise _invalid("buffer_size must be greater than zero.")
        return self._shuffle(self._inputs[0]._blocks(env), size, self._generator(env))

    def _generator(self, env: _Env) -> np.random.RandomState:
        """One generator per iterator start. Each pass (epoch) continues it when reshuffling,
        and restarts it (the same order again) when not."""
        state = env.state.get(self)
        if state is None:
            seed = self._seeds if self._seeds[0] is not None else np.random.randint(_MAX_SEED, size=2)
            seed = [int(s) % 2 ** 32 for s in seed]
            state = env.state[self] = (seed, np.random.RandomState(seed))
        seed, rng = state
        return rng if self._reshuffle else np.random.RandomState(seed)

    @staticmethod
    def _shuffle(blocks: _PyIterator, size: int, rng: np.random.RandomState) -> _PyIterator:
        elements = _single_rows(blocks)
        buffer = list(itertools.islice(elements, size))
        for element in elements:            # buffer full: output a random one, refill its place
            i = rng.randint(len(buffer))
            yield buffer[i]
            buffer[i] = element
        while buffer:                        # input exhausted: drain the buffer at random
            i = rng.randint(len(buffer))
            yield buffer[i]
            buffer[i] = buffer[-1]
            buffer.pop()


class _TakeDataset(Dataset):
    """``take``: the first ``count`` elements."""

    def __init__(self, input_dataset: Dataset, count: "int | Tensor"):
        super().__init__(input_dataset._spec, [input_dataset], [count] if isinstance(count, Tensor) else [])
        self._count = count

    def _blocks(self, env: _Env) -> _PyIterator:
        count = env.int(self._count)
        blocks = self._inputs[0]._blocks(env)
        return blocks if count < 0 else self._take(blocks, count)

    @staticmethod
    def _take(blocks: _PyIterator, left: int) -> _PyIterator:
        if left == 0:
            return
        for block in blocks:
            n = _length(block)
            if n >= left:
                yield block if n == left else tuple(c[:left] for c in block)
                return                     # never ask the input for more than needed
            left -= n
            yield block


class _SkipDataset(Dataset):
    """``skip``: all but the first ``count`` elements."""

    def __init__(self, input_dataset: Dataset, count: "int | Tensor"):
        super().__init__(input_dataset._spec, [input_dataset], [count] if isinstance(count, Tensor) else [])
        self._count = count

    def _blocks(self, env: _Env) -> _PyIterator:
        return self._skip(self._inputs[0]._blocks(env), env.int(self._count))

    @staticmethod
    def _skip(blocks: _PyIterator, left: int) -> _PyIterator:
        for block in blocks:
            if left < 0:
                continue                   # skip(-1) skips everything
            n = _length(block)
            if n <= left:
                left -= n
                continue
            yield tuple(c[left:] for c in block) if left else block
            left = 0


class _ShardDataset(Dataset):
    """``shard``: every ``num_shards``-th element from ``index``."""

    def __init__(self, input_dataset: Dataset, num_shards: int, index: int):
        super().__init__(input_dataset._spec, [input_dataset])
        self._num_shards, self._index = num_shards, index

    def _blocks(self, env: _Env) -> _PyIterator:
        return self._shard(self._inputs[0]._blocks(env))

    def _shard(self, blocks: _PyIterator) -> _PyIterator:
        position = 0                           # index of the block's first element in the stream
        for block in blocks:
            first = (self._index - position) % self._num_shards
            position += _length(block)
            if first < _length(block):
                yield tuple(c[first::self._num_shards] for c in block)


class _ZipDataset(Dataset):
    """``zip``: aligns the inputs' blocks, so zipped slices stay slices."""

    def __init__(self, spec: Any, datasets: "list[Dataset]"):
        super().__init__(spec, datasets)

    def _blocks(self, env: _Env) -> _PyIterator:
        return self._zip([d._blocks(env) for d in self._inputs])

    @staticmethod
    def _zip(streams: "list[_PyIterator]") -> _PyIterator:
        current: list = [None] * len(streams)
        offsets = [0] * len(streams)
        while True:
            for j, stream in enumerate(streams):
                while current[j] is None or offsets[j] == _length(current[j]):
                    current[j] = next(stream, None)
                    offsets[j] = 0
                    if current[j] is None:
                        return             # the shortest input has ended
            k = min(_length(b) - o for b, o in zip(current, offsets))
            yield tuple(c[o:o + k] for b, o in zip(current, offsets) for c in b)
            offsets = [o + k for o in offsets]


class _ConcatenateDataset(Dataset):
    """``concatenate``: one dataset after the other."""

    def __init__(self, first: Dataset, second: Dataset):
        if not isinstance(second, Dataset):
            raise TypeError("`concatenate` expects a Dataset, got %r." % (second,))
        a, b = _flatten_structure(first._spec), _flatten_structure(second._spec)
        types_a, types_b = first.output_types, second.output_types
        if len(a) != len(b) or _structure_text(types_a) != _structure_text(types_b):
            raise TypeError("Two datasets to concatenate have different types %s and %s"
                            % (_structure_text(types_a), _structure_text(types_b)))
        spec = _pack_structure(first._spec, [_Spec(x.dtype, _most_specific_compatible_shape(x.shape, y.shape))
                                   for x, y in zip(a, b)])
        super().__init__(spec, [first, second])

    def _blocks(self, env: _Env) -> _PyIterator:
        first, second = self._inputs
        return self._chain(first._blocks(env), second, env)

    @staticmethod
    def _chain(blocks: _PyIterator, second: Dataset, env: _Env) -> _PyIterator:
        yield from blocks
        yield from second._blocks(env)        # started only once the first one has ended


def _most_specific_compatible_shape(a: TensorShape, b: TensorShape) -> TensorShape:
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a.as_tuple(), b.as_tuple())])


class _MapDataset(Dataset):
    """``map``: runs the traced function on each element."""

    def __init__(self, input_dataset: Dataset, map_func: Callable):
        self._function = fn = _Function(map_func, input_dataset._spec, "Dataset.map()")
        result = fn.result
        if isinstance(result, list):
            result = tuple(result)         # TF converts a returned list to a tuple
        flat = _flatten_structure(result)
        fn.set_outputs([fn.as_output(r, "Dataset.map()") for r in flat])
        spec = _pack_structure(result, [_Spec(t.dtype, t.shape) for t in fn.outputs])
        super().__init__(spec, [input_dataset], fn.outer_captures)

    def _blocks(self, env: _Env) -> _PyIterator:
        return self._map(_elements(self._inputs[0]._blocks(env)), env)

    def _map(self, elements: _PyIterator, env: _Env) -> _PyIterator:
        call = self._function.call
        for element in elements:
            yield _as_block(call(env, element))


class _FilterDataset(Dataset):
    """``filter``: keeps the elements whose traced predicate is True."""

    def __init__(self, input_dataset: Dataset, predicate: Callable):
        self._function = fn = _Function(predicate, input_dataset._spec, "Dataset.filter()")
        flat = _flatten_structure(fn.result)
        outputs = [fn.as_output(r, "Dataset.filter()") for r in flat]
        if len(outputs) != 1 or outputs[0].dtype.base_dtype is not dtypes.bool \
                or not outputs[0].shape.is_compatible_with(TensorShape([])):
            got = ", ".join("%s tensor of shape %s" % (t.dtype.base_dtype.name, t.shape) for t in outputs)
            raise ValueError("`predicate` return type must be convertible to a scalar boolean tensor. Was "
                             "%s.\nFix: return one tf.bool scalar per element, e.g. `lambda x: x > 2` for "
                             "scalars or `lambda x: tf.reduce_all(x > 2)` for vectors." % (got or "nothing"))
        fn.set_outputs(outputs)
        super().__init__(input_dataset._spec, [input_dataset], fn.outer_captures)

    def _blocks(self, env: _Env) -> _PyIterator:
        return self._filter(self._inputs[0]._blocks(env), env)

    def _filter(self, blocks: _PyIterator, env: _Env) -> _PyIterator:
        call = self._function.call
        for block in _single_rows(blocks):
            if call(env, tuple(c[0] for c in block))[0]:
                yield block


class _FlatMapDataset(Dataset):
    """``flat_map`` (cycle_length 1) and ``interleave``: a dataset per input element."""

    def __init__(self, input_dataset: Dataset, map_func: Callable, cycle_length: int, block_length: int):
        name = "Dataset.flat_map()" if cycle_length == 1 else "Dataset.interleave()"
        self._function = fn = _Function(map_func, input_dataset._spec, name)
        inner = fn.result
        if not isinstance(inner, Dataset):
            raise TypeError("`map_func` must return a `Dataset` object. Got %s.\nFix: return e.g. "
                            "`tf.data.Dataset.from_tensor_slices(x)` from the function given to %s."
                            % (type(inner), name))
        self._inner = inner
        # The inner dataset's captured tensors are computed from each element by the function.
        fn.set_outputs([fn.graph.capture(t) for t in inner._captures()])
        super().__init__(inner._spec, [input_dataset], fn.outer_captures)
        self._cycle_length, self._block_length = cycle_length, block_length

    def _open(self, env: _Env, element: tuple) -> _PyIterator:
        """The inner dataset's elements (blocks of one) for one input element."""
        values = [_owned(v) for v in self._function.call(env, element)]
        return _single_rows(self._inner._blocks(_Env(env.session, dict(zip(self._inner._captures(), values)))))

    def _blocks(self, env: _Env) -> _PyIterator:
        elements = _elements(self._inputs[0]._blocks(env))
        if self._cycle_length == 1:
            return (block for element in elements for block in self._open(env, element))
        return self._interleave(elements, env)

    def _interleave(self, elements: _PyIterator, env: _Env) -> _PyIterator:
        """TF's order: take ``block_length`` elements from each open inner dataset in turn; an
        exhausted one is replaced by the next input element's dataset when its turn comes."""
        cycle: list = [None] * self._cycle_length
        index = taken = open_count = 0
        end_of_input = False
        while not end_of_input or open_count:
            if cycle[index] is not None:
                block = next(cycle[index], None)
                if block is not None:
                    yield block
                    taken += 1
                    if taken == self._block_length:
                        index, taken = (index + 1) % self._cycle_length, 0
                    continue
                cycle[index] = None
                open_count -= 1
                index, taken = (index + 1) % self._cycle_length, 0
            elif not end_of_input:
                element = next(elements, None)
                if element is None:
                    end_of_input = True
                else:
                    cycle[index] = self._open(env, element)
                    open_count += 1
            else:
                index, taken = (index + 1) % self._cycle_length, 0


# --------------------------------------------------------------------------------------------
# Functions (map, filter, flat_map): traced once into their own graph
# --------------------------------------------------------------------------------------------
class _FunctionGraph(Graph):
    """The graph a dataset function is traced into (TF's ``FuncGraph``).

    Its own names (``args_0``, ``mul``, ...) do not use up names of the outer graph. When an op
    here uses a tensor of an outer graph, :meth:`capture` replaces it by a ``DatasetElement``
    op whose value is fed in at every call.
    """

    building_function = True

    def __init__(self, outer: Graph):
        super().__init__()
        self.outer = outer
        self.seed = outer.seed                     # tf.set_random_seed applies inside too
        self.captures: "dict[Tensor, Tensor]" = {}   # tensor of `outer` -> its stand-in here

    def capture(self, t: Tensor) -> Tensor:
        if t.graph is self:
            return t
        if t.graph is not self.outer and isinstance(self.outer, _FunctionGraph):
            t = self.outer.capture(t)              # nested functions capture through their parent
        inner = self.captures.get(t)
        if inner is None:
            saved, self._name_stack = self._name_stack, ""
            try:
                inner = Graph.create_op(self, "DatasetElement", [], [t.dtype.base_dtype], name=t.op.name,
                                        attrs={"captured": t.name}, shapes=[t.shape]).outputs[0]
            finally:
                self._name_stack = saved
            self.captures[t] = inner
        return inner

    def create_op(self, op_type: str, inputs: Any, dtypes: Any, name: "str | None" = None,
                  attrs: "dict | None" = None, shapes: Any = None) -> Operation:
        inputs = [t if t.graph is self else self.capture(t) for t in inputs]
        return super().create_op(op_type, inputs, dtypes, name=name, attrs=attrs, shapes=shapes)


class _Function:
    """A Python function traced once on symbolic element tensors, evaluated per element."""

    def __init__(self, func: Callable, spec: Any, transformation: str):
        if not callable(func):
            raise TypeError("The argument of %s must be a function, got %r." % (transformation, func))
        self.graph = graph = _FunctionGraph(get_default_graph())
        with graph.as_default():
            self.args = [graph.create_op("DatasetElement", [], [s.dtype], name="args_%d" % i,
                                         shapes=[s.shape]).outputs[0]
                         for i, s in enumerate(_flatten_structure(spec))]
            element = _pack_structure(spec, self.args)
            # A tuple is unpacked into positional arguments; a dict or single tensor is one argument.
            self.result = func(*element) if type(element) is tuple else func(element)
        self.outputs: "list[Tensor]" = []

    def as_output(self, value: Any, transformation: str) -> Tensor:
        """A returned value as a tensor of this graph (numbers and arrays are converted)."""
        if isinstance(value, Tensor):
            return self.graph.capture(value)
        bad = value is None or isinstance(value, (Operation, Dataset)) or callable(value)
        if not bad:
            try:
                with self.graph.as_default():
                    return convert_to_tensor(value)
            except (TypeError, ValueError):
                pass
        raise TypeError("Could not build a TypeSpec for %r with type %s\n(tinyflow: the function passed to "
                        "%s returned %r, which is not a tf.Tensor or a value convertible to one.)\nFix: make "
                        "it return tensors (or a tuple/dict of them), e.g. `return x * 2` - and check that "
                        "it does not end without a `return`." % (value, type(value).__name__, transformation,
                                                                  value))

    def set_outputs(self, outputs: "list[Tensor]") -> None:
        self.outputs = outputs
        # The outer tensors captured while tracing; their values are fed at every call.
        self.captured = list(self.graph.captures.items())
        self.outer_captures = [outer for outer, _ in self.captured]

    def call(self, env: _Env, element: tuple) -> list:
        """The outputs' values for one element (run in the iterator's session)."""
        feeds = dict(zip(self.args, element))
        for outer, inner in self.captured:
            feeds[inner] = env.values[outer]
        return env.session._evaluate(self.outputs, feeds)


@primitive("DatasetElement")
def _dataset_element_kernel(ctx):
    raise errors.InvalidArgumentError(
        None, ctx.op, "%s stands for a dataset element (or a captured tensor) inside a function given to "
        "Dataset.map/filter/flat_map; only the dataset's iterator can provide its value. Fetch the "
        "iterator's get_next() tensors instead." % ctx.op.name)


# --------------------------------------------------------------------------------------------
# Iterators
# --------------------------------------------------------------------------------------------
class _IteratorState:
    """An iterator's position in its dataset, in one session (TF's iterator resource)."""

    __slots__ = ("elements", "failure", "returned")

    def __init__(self):
        self.elements: "_PyIterator | None" = None
        self.failure: "str | None" = None       # the error that stopped the pipeline, if one did
        self.returned: list = []                # elements given back by failed runs, next first

    def start(self, dataset: Dataset, env: _Env) -> None:
        self.elements = _elements(dataset._blocks(env))
        self.failure = None
        self.returned = []

    def get(self) -> "tuple | None":
        return self.returned.pop() if self.returned else next(self.elements, None)

    def give_back(self, element: tuple) -> str:
        """A failed run did not consume ``element``: the next run gets it again. (Returns what the
        failed run's error adds, so that a learner who skips failing batches knows how.)"""
        self.returned.append(element)
        return _GIVEN_BACK

    def restore(self, saved: tuple) -> None:
        self.elements, self.failure, self.returned = saved


def _iterator_attrs(spec: Any) -> dict:
    flat = _flatten_structure(spec)
    return {"output_types": [s.dtype for s in flat], "output_shapes": [s.shape for s in flat]}


def _captured_values(dataset: Dataset, values: Any) -> dict:
    return dict(zip(dataset._captures(), [_owned(v) for v in values]))


@primitive("OneShotIterator", handle=True)
def _one_shot_iterator_kernel(ctx):
    """Starts on first use in each session, evaluating the (stateless) captured tensors."""
    state = ctx.cache.get("iterator")
    if state is None:
        dataset = ctx.attrs["dataset"]
        captures = dataset._captures()
        values = ctx.session._evaluate(captures, {}) if captures else []
        state = _IteratorState()
        state.start(dataset, _Env(ctx.session, _captured_values(dataset, values)))
        ctx.cache["iterator"] = state
    return state


@primitive("IteratorV2", handle=True)
def _iterator_kernel(ctx):
    state = ctx.cache.get("iterator")
    if state is None:
        state = ctx.cache["iterator"] = _IteratorState()
    return state


@primitive("MakeIterator", stateful=True)
def _make_iterator_kernel(ctx, state, *captured):
    """(Re)starts the iterator on the dataset, with the captured tensors' values of this run."""
    dataset = ctx.attrs["dataset"]
    ctx.session.undo_if_run_fails(state.restore, (state.elements, state.failure, state.returned))
    state.start(dataset, _Env(ctx.session, _captured_values(dataset, captured)))
    return ()


@primitive("IteratorGetNext", stateful=True)
def _get_next_kernel(ctx, state: _IteratorState):
    """Advances the iterator: its next element (one component is returned as it is)."""
    if state.elements is None:
        raise errors.FailedPreconditionError(
            None, None, "GetNext() failed because the iterator has not been initialized. Ensure that you "
            "have run the initializer operation for this iterator before getting the next element.\n"
            "Fix: run `sess.run(iterator.initializer)` first (in every new Session), feeding the "
            "placeholders the dataset uses in that run.")
    if state.failure is not None:
        raise errors.FailedPreconditionError(
            None, None, "GetNext() failed because an earlier GetNext() of this iterator failed (%s), and "
            "tinyflow cannot continue a pipeline after an error (TensorFlow goes on with the next "
            "element).\nFix: remove the bad elements (e.g. with Dataset.filter), or restart the iterator: "
            "run `sess.run(iterator.initializer)` again (a one-shot iterator: use a new Session)."
            % state.failure)
    try:
        element = state.get()
    except BaseException as e:          # a generator that raised is finished: remember why
        message = e.message if isinstance(e, errors.OpError) else str(e)
        state.failure = "%s: %s" % (type(e).__name__, message.splitlines()[0] if message else "")
        raise
    if element is None:
        raise errors.OutOfRangeError(None, None, "End of sequence")
    ctx.session.undo_if_run_fails(state.give_back, element)
    return element if len(element) > 1 else element[0]


_GIVEN_BACK = ("(tinyflow: the failed run gave its element back to the iterator, so the next run gets the same "
               "element again: a failed run changes no state. If that element is what fails, skip it by running "
               "get_next alone, e.g. sess.run(next_element).)")


_HANDLE_PREFIX = b"localhost/iterator/"


@primitive("IteratorToStringHandle", stateful=True)
def _to_string_handle_kernel(ctx, state: _IteratorState):
    """The handle names the iterator op; the session keeps the iterator's state under that op."""
    return np.array(_HANDLE_PREFIX + ctx.op.inputs[0].op.name.encode(), dtype=object)


@primitive("IteratorFromStringHandleV2", stateful=True)
def _from_string_handle_kernel(ctx, handle):
    """The state of the iterator the handle names, in this session, after checking its types."""
    text = handle.item() if isinstance(handle, np.ndarray) else handle
    text = text.encode() if isinstance(text, str) else text
    graph = ctx.op.graph
    source = None
    if isinstance(text, bytes) and text.startswith(_HANDLE_PREFIX):
        name = text[len(_HANDLE_PREFIX):].decode(errors="replace")
        source = _op_named(graph, name)
    if source is None or source.type not in ("OneShotIterator", "IteratorV2"):
        raise _invalid("Could not parse string_handle as a valid ResourceHandle\nFix: feed the bytes that "
                       "`sess.run(iterator.string_handle())` returned in this session, e.g. `handle = "
                       "sess.run(train_iterator.string_handle())`, then `feed_dict={handle_placeholder: handle}`.")
    state = ctx.session._context(source).cache.get("iterator")
    if state is None:
        raise errors.NotFoundError(None, None, "Resource localhost/%s does not exist.\nFix: get the handle by "
                                   "running iterator.string_handle() in the same session that runs this "
                                   "iterator." % source.name)
    want, have = ctx.attrs["output_types"], source.attrs["output_types"]
    if len(want) != len(have):
        raise _invalid("Number of components does not match: expected %d types but got %d.\nFix: give "
                       "from_string_handle the output_types of the datasets it switches between "
                       "(dataset.output_types)." % (len(want), len(have)))
    for i, (w, h) in enumerate(zip(want, have)):
        if w != h:
            raise _invalid("Data type mismatch at component %d: expected %s but got %s.\nFix: give "
                           "from_string_handle the output_types of the datasets it switches between "
                           "(dataset.output_types)." % (i, parsing_ops.TYPE_NAMES.get(w.name, w.name),
                                                         parsing_ops.TYPE_NAMES.get(h.name, h.name)))
    for i, (w, h) in enumerate(zip(ctx.attrs["output_shapes"], source.attrs["output_shapes"])):
        if not w.is_compatible_with(h):
            raise _invalid("Incompatible shapes at component %d: expected %s but got %s.\nFix: give "
                           "from_string_handle output_shapes compatible with the datasets' (dataset.output_shapes)."
                           % (i, _dims_or_unknown(w), _dims_or_unknown(h)))
    return state


def _op_named(graph: Graph, name: str) -> "Operation | None":
    try:
        return graph.get_operation_by_name(name)
    except (KeyError, ValueError):
        return None


def _dims_or_unknown(shape: TensorShape) -> str:
    return "<unknown>" if shape.ndims is None else "[%s]" % ",".join("?" if d is None else str(d)
                                                                     for d in shape.as_list())


for _op_type in ("OneShotIterator", "IteratorV2", "MakeIterator", "IteratorGetNext", "DatasetElement",
                 "IteratorToStringHandle", "IteratorFromStringHandleV2"):
    NoGradient(_op_type)


def _check_capturable_by_value(tensors: "list[Tensor]") -> None:
    """A one-shot iterator evaluates its tensors once, by value: no placeholders, nothing stateful."""
    seen = dependencies(t.op for t in tensors)
    for op in sorted(seen, key=lambda o: o._id):
        if op.type == "Placeholder":
            raise ValueError("Cannot capture a placeholder (name:%s, type:%s) by value.\nFix: use "
                             "`iterator = dataset.make_initializable_iterator()` and feed the placeholder "
                             "when you run its initializer: `sess.run(iterator.initializer, "
                             "feed_dict={placeholder: value})`, where placeholder is the tensor %r."
                             % (op.name, op.type, op.outputs[0].name))
        if is_stateful(op.type, if_unknown=False):
            raise ValueError("Failed to create a one-shot iterator for a dataset. "
                             "`Dataset.make_one_shot_iterator()` does not support datasets that capture "
                             "stateful objects, such as a `Variable` or `LookupTable`. In these cases, use "
                             "`Dataset.make_initializable_iterator()`. (Original error: Cannot capture a "
                             "stateful node (name:%s, type:%s) by value.)" % (op.name, op.type))


class Iterator(_ElementType):
    """Reads a dataset one element per run: ``get_next()`` gives the element's tensors."""

    def __init__(self, iterator_resource: Tensor, initializer: "Operation | None", spec: Any):
        self._resource = iterator_resource
        self._initializer = initializer
        self._spec = spec
        self._get_next_calls = 0

    @staticmethod
    def from_structure(output_types: Any, output_shapes: Any = None, shared_name: "str | None" = None,
                       output_classes: Any = None) -> "Iterator":
        """An iterator not tied to one dataset; start it on any dataset of this element type with
        ``sess.run(iterator.make_initializer(dataset))`` (e.g. training vs validation data)."""
        spec = _spec_of(output_types, output_shapes)
        resource = get_default_graph().create_op(
            "IteratorV2", [], [dtypes.resource], name="IteratorV2",
            attrs=dict(_iterator_attrs(spec), shared_name=shared_name or ""), shapes=[TensorShape([])]).outputs[0]
        return Iterator(resource, None, spec)

    @staticmethod
    def from_string_handle(string_handle: Any, output_types: Any, output_shapes: Any = None,
                           output_classes: Any = None) -> "Iterator":
        """An iterator that reads whichever iterator ``string_handle`` names, run by run: feed it
        the bytes ``sess.run(other.string_handle())`` returned (e.g. training vs validation data,
        switched by a ``tf.placeholder(tf.string, [])``, with no re-initializing)."""
        spec = _spec_of(output_types, output_shapes)
        handle = convert_to_tensor(string_handle, dtype=dtypes.string)
        graph = handle.graph
        resource = graph.create_op("IteratorFromStringHandleV2", [handle], [dtypes.resource],
                                   name="IteratorFromStringHandleV2", attrs=_iterator_attrs(spec),
                                   shapes=[TensorShape([])]).outputs[0]
        return Iterator(resource, None, spec)

    def string_handle(self, name: "str | None" = None) -> Tensor:
        """A scalar ``tf.string`` tensor: run it to get this iterator's handle (bytes) in a session,
        to feed to an iterator made by :meth:`from_string_handle`."""
        return self._resource.graph.create_op("IteratorToStringHandle", [self._resource], [dtypes.string],
                                              name=name or "IteratorToStringHandle",
                                              shapes=[TensorShape([])]).outputs[0]

    @property
    def initializer(self) -> Operation:
        """The ``MakeIterator`` op: running it starts (or restarts) the iterator."""
        if self._initializer is None:
            raise ValueError("Iterator does not have an initializer.\n(tinyflow: a one-shot iterator starts "
                             "by itself; use dataset.make_initializable_iterator() for one you can restart.)")
        return self._initializer

    def make_initializer(self, dataset: Dataset, name: "str | None" = None) -> Operation:
        """An op that starts this iterator on ``dataset`` (which must have compatible types)."""
        if _structure_text(self.output_types) != _structure_text(dataset.output_types):
            raise TypeError("Expected output types %s but got dataset with output types %s."
                            % (_structure_text(self.output_types), _structure_text(dataset.output_types)))
        for mine, theirs in zip(_flatten_structure(self._spec), _flatten_structure(dataset._spec)):
            if not mine.shape.is_compatible_with(theirs.shape):
                raise TypeError("Expected output shapes compatible with %s but got dataset with output "
                                "shapes %s." % (_structure_text(self.output_shapes),
                                                _structure_text(dataset.output_shapes)))
        graph = self._resource.graph
        return graph.create_op("MakeIterator", [self._resource] + dataset._captures(), [],
                               name=name or "MakeIterator", attrs={"dataset": dataset})

    def get_next(self, name: "str | None" = None) -> Any:
        """The next element's tensors (one ``IteratorGetNext`` op; each call makes a new op, so
        call it once and run the result in your loop)."""
        self._get_next_calls += 1
        if self._get_next_calls > GET_NEXT_CALL_WARNING_THRESHOLD:
            warnings.warn(
                "An unusually high number of `Iterator.get_next()` calls was detected. This often indicates "
                "that `Iterator.get_next()` is being called inside a training loop, which will cause gradual "
                "slowdown and eventual resource exhaustion. If this is the case, restructure your code to "
                "call `next_element = iterator.get_next()` once outside the loop, and use `next_element` "
                "as the input to some computation that is invoked inside the loop.")
        flat = _flatten_structure(self._spec)
        op = self._resource.graph.create_op("IteratorGetNext", [self._resource], [s.dtype for s in flat],
                                            name=name or "IteratorGetNext", attrs=_iterator_attrs(self._spec),
                                            shapes=[s.shape for s in flat])
        return _pack_structure(self._spec, op.outputs)



# --------------------------------------------------------------------------------------------
# tf.data.* functions (TF 1.15's forms of the methods)
# --------------------------------------------------------------------------------------------
def make_one_shot_iterator(dataset: Dataset) -> Iterator:
    """``tf.data.make_one_shot_iterator(ds)`` == ``ds.make_one_shot_iterator()``."""
    return dataset.make_one_shot_iterator()


def make_initializable_iterator(dataset: Dataset, shared_name: "str | None" = None) -> Iterator:
    """``tf.data.make_initializable_iterator(ds)`` == ``ds.make_initializable_iterator()``."""
    return dataset.make_initializable_iterator(shared_name)


def get_output_types(dataset_or_iterator: Any) -> Any:
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator: Any) -> Any:
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator: Any) -> Any:
    return dataset_or_iterator.output_classes


def unbatch() -> Callable:
    """``tf.data.experimental.unbatch()``: TF 1.15's form of ``Dataset.unbatch``, for ``dataset.apply(...)``."""
    return lambda dataset: dataset.unbatch()


experimental = types.ModuleType("tinyflow.data.experimental", "``tf.data.experimental``: CsvDataset, "
                                "make_csv_dataset, unbatch, AUTOTUNE (TensorFlow's names).")
for _name, _value in [("AUTOTUNE", AUTOTUNE), ("CsvDataset", CsvDataset), ("make_csv_dataset", make_csv_dataset),
                      ("unbatch", unbatch)]:
    setattr(experimental, _name, _value)
experimental.__all__ = ["AUTOTUNE", "CsvDataset", "make_csv_dataset", "unbatch"]
experimental.__dir__ = lambda: list(experimental.__all__)
experimental.__getattr__ = module_getattr("tinyflow.data.experimental", "data.experimental", experimental.__dict__)


def __dir__() -> "list[str]":
    """``dir(tf.data)`` lists TensorFlow's names only (``__all__``)."""
    return list(__all__)


__getattr__ = module_getattr("tinyflow.data", "data", globals())
"""A TensorFlow name of ``tf.data`` that tinyflow leaves out says so (``not_provided.py``)."""
