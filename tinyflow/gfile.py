"""``tf.gfile`` (TF1's names: ``Exists``, ``GFile``, ...) and ``tf.io.gfile`` (the lower-case names
of TF 1.13+): files and directories, local ones only.

Each function is a thin layer over ``os``, ``shutil`` and ``glob`` with TensorFlow's errors: a
missing path is a ``tf.errors.NotFoundError`` naming it (not Python's ``FileNotFoundError``), an
existing one where it must not be is ``AlreadyExistsError``.
"""
from __future__ import annotations

import glob as _glob
import os
import shutil
import types
from typing import Any, Iterator

from . import errors

__all__ = ["Copy", "DeleteRecursively", "Exists", "FastGFile", "GFile", "Glob", "IsDirectory", "ListDirectory",
           "MakeDirs", "MkDir", "Open", "Remove", "Rename", "Walk"]


def _not_found(path: Any, what: str = "; No such file or directory") -> errors.NotFoundError:
    return errors.NotFoundError(None, None, "%s%s" % (os.fspath(path), what))


class GFile:
    """A file, like Python's ``open(name, mode)``; ``mode`` ``"r"``/``"w"``/``"a"``, with ``"b"``
    for bytes. Opening a missing file to read is a NotFoundError."""

    def __init__(self, name: Any, mode: str = "r"):
        self.name, self.mode = os.fspath(name), mode
        try:
            self._file = open(self.name, mode, **({} if "b" in mode else {"encoding": "utf-8"}))
        except FileNotFoundError:
            raise _not_found(self.name) from None
        except IsADirectoryError:
            raise errors.FailedPreconditionError(None, None, "%s; Is a directory" % self.name) from None
        except PermissionError:
            raise errors.PermissionDeniedError(None, None, "%s; Permission denied" % self.name) from None
        except FileExistsError:
            raise errors.AlreadyExistsError(None, None, "%s; File exists" % self.name) from None
        except ValueError as e:                         # a mode Python does not know
            raise errors.InvalidArgumentError(None, None, "%s: %s\nFix: mode is 'r', 'w' or 'a', with 'b' for bytes."
                                              % (self.name, e)) from None

    def read(self, n: int = -1) -> Any:
        return self._file.read(n)

    def readline(self) -> Any:
        return self._file.readline()

    def readlines(self) -> list:
        return self._file.readlines()

    def write(self, data: Any) -> None:
        if isinstance(data, (bytes, bytearray)) and "b" not in self.mode:
            data = bytes(data).decode("utf-8")           # (TF's GFile takes bytes in text mode too)
        self._file.write(data)

    def flush(self) -> None:
        self._file.flush()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def size(self) -> int:
        return os.path.getsize(self.name)

    def close(self) -> None:
        self._file.close()

    def __iter__(self) -> Iterator:
        return iter(self._file)

    def __enter__(self) -> "GFile":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


Open = FastGFile = GFile


def Exists(filename: Any) -> bool:  # noqa: N802 (TF1's names)
    return os.path.exists(filename)


def IsDirectory(dirname: Any) -> bool:  # noqa: N802
    return os.path.isdir(dirname)


def ListDirectory(dirname: Any) -> "list[str]":  # noqa: N802
    """The names in ``dirname``, sorted (not ``.`` and ``..``)."""
    if not os.path.isdir(dirname):
        raise errors.NotFoundError(None, None, "Could not find directory %s" % os.fspath(dirname))
    return sorted(os.listdir(dirname))


def MakeDirs(dirname: Any) -> None:  # noqa: N802
    """Makes ``dirname`` and any missing parents; an existing directory is fine."""
    try:
        os.makedirs(dirname, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise errors.FailedPreconditionError(None, None, "%s; Not a directory (a file is in the way)"
                                             % os.fspath(dirname)) from None


def MkDir(dirname: Any) -> None:  # noqa: N802
    """Makes ``dirname``, whose parent must exist; an existing directory is fine (as TF 2.21)."""
    try:
        os.mkdir(dirname)
    except FileExistsError:
        if not os.path.isdir(dirname):
            raise errors.AlreadyExistsError(None, None, "%s; File exists" % os.fspath(dirname)) from None
    except FileNotFoundError:
        raise _not_found(dirname) from None


def Remove(filename: Any) -> None:  # noqa: N802
    if os.path.isdir(filename):
        raise errors.FailedPreconditionError(None, None, "%s; Is a directory\nFix: tf.gfile.DeleteRecursively "
                                             "removes a directory." % os.fspath(filename))
    try:
        os.remove(filename)
    except FileNotFoundError:
        raise _not_found(filename) from None


def DeleteRecursively(dirname: Any) -> None:  # noqa: N802
    if not os.path.exists(dirname):
        raise _not_found(dirname, " not found")
    if os.path.isdir(dirname):
        shutil.rmtree(dirname)
    else:
        os.remove(dirname)


def Glob(filename: Any) -> "list[str]":  # noqa: N802
    """The paths matching the pattern (``*``, ``?``, ``[...]``), sorted."""
    return sorted(_glob.glob(os.fspath(filename)))


def _check_move(source: Any, target: Any, overwrite: bool) -> None:
    """What Copy and Rename require: the source exists, the target does not (unless overwrite)."""
    if not os.path.exists(source):
        raise _not_found(source)
    if os.path.exists(target) and not overwrite:
        raise errors.AlreadyExistsError(None, None, "file already exists\nFix: pass overwrite=True to replace %s."
                                        % os.fspath(target))


def Copy(oldpath: Any, newpath: Any, overwrite: bool = False) -> None:  # noqa: N802
    _check_move(oldpath, newpath, overwrite)
    shutil.copyfile(oldpath, newpath)


def Rename(oldname: Any, newname: Any, overwrite: bool = False) -> None:  # noqa: N802
    _check_move(oldname, newname, overwrite)
    os.replace(oldname, newname)


def Walk(top: Any, in_order: bool = True) -> Iterator:  # noqa: N802
    """``(dirname, subdirectories, files)`` for ``top`` and every directory below it."""
    for dirname, subdirs, files in os.walk(top, topdown=in_order):
        yield dirname, sorted(subdirs), sorted(files)


def __dir__() -> "list[str]":
    return list(__all__)


# tf.io.gfile: the same functions under TF 1.13+'s lower-case names.
io_gfile = types.ModuleType("tinyflow.io.gfile", "``tf.io.gfile``: files and directories (local ones).")
for _name, _fn in [("GFile", GFile), ("exists", Exists), ("isdir", IsDirectory), ("listdir", ListDirectory),
                   ("makedirs", MakeDirs), ("mkdir", MkDir), ("remove", Remove), ("rmtree", DeleteRecursively),
                   ("glob", Glob), ("copy", Copy), ("rename", Rename), ("walk", Walk), ("join", os.path.join)]:
    setattr(io_gfile, _name, _fn)
