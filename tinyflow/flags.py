"""``tf.flags`` (also ``tf.app.flags``): command-line flags as TF1 programs define them::

    tf.flags.DEFINE_integer("batch_size", 100, "Examples per step.")
    FLAGS = tf.flags.FLAGS
    ...
    FLAGS.batch_size                 # 100, or --batch_size=32 from the command line

TF1's flags are absl's; this is the part programs use: ``DEFINE_string``, ``DEFINE_integer``,
``DEFINE_float``, ``DEFINE_boolean`` (``--fast``, ``--nofast``, ``--fast=false``), ``DEFINE_list``
(``--layers=64,32``), ``DEFINE_enum``; ``FLAGS(argv)`` parses and returns the arguments left.
As in TF1, reading a flag before any parse parses ``sys.argv`` first, ignoring flags it does not
know (a notebook kernel's own ``-f`` options), and ``tf.app.run`` parses the same way.
"""
from __future__ import annotations

import sys
from typing import Any, Callable

__all__ = ["FLAGS", "DEFINE_string", "DEFINE_integer", "DEFINE_float", "DEFINE_boolean", "DEFINE_bool",
           "DEFINE_list", "DEFINE_enum", "Error", "DuplicateFlagError", "UnrecognizedFlagError",
           "IllegalFlagValueError", "FlagValues"]


class Error(Exception):
    """A problem with flags (absl's ``flags.Error``)."""


class DuplicateFlagError(Error):
    pass


class UnrecognizedFlagError(Error):
    pass


class IllegalFlagValueError(Error):
    pass


class _Flag:
    __slots__ = ("name", "default", "help", "parse", "value", "boolean", "site")

    def __init__(self, name: str, default: Any, help: str, parse: Callable, boolean: bool = False):  # noqa: A002
        self.name, self.help, self.parse, self.boolean = name, help, parse, boolean
        try:
            self.default = self.value = None if default is None else parse(default)
        except (ValueError, TypeError) as e:
            raise IllegalFlagValueError("flag --%s=%s: %s\nFix: give the flag a default of its kind." % (name, default,
                                                                                                     e)) from None
        frame = sys._getframe(2)          # who called DEFINE_...
        self.site = "%s:%d" % (frame.f_code.co_filename, frame.f_lineno)


class FlagValues:
    """The flags defined so far, and their values (``FLAGS.batch_size``)."""

    def __init__(self) -> None:
        object.__setattr__(self, "_flags", {})
        object.__setattr__(self, "_parsed", False)

    def _define(self, flag: _Flag) -> None:
        if flag.name in self._flags:
            first = self._flags[flag.name]
            raise DuplicateFlagError("The flag %r is defined twice. First from %s, second from %s. Description from "
                                     "first occurrence: %s\nFix: define each flag once (re-running a notebook cell "
                                     "defines it again: guard it with `if 'name' not in FLAGS:`)."
                                     % (flag.name, first.site, flag.site, first.help))
        self._flags[flag.name] = flag

    def __call__(self, argv: "list[str]", known_only: bool = False) -> "list[str]":
        """Parses ``argv`` (its first entry is the program); returns the program and what is not a flag."""
        if isinstance(argv, str):
            raise TypeError("argv should be a list of strings (e.g. sys.argv), not the string %r" % argv)
        rest, args, i = [argv[0]] if argv else [], list(argv[1:]), 0
        values = {}
        while i < len(args):
            arg = args[i]
            i += 1
            if arg == "--":
                rest += args[i:]
                break
            if not arg.startswith("-") or arg == "-":
                rest.append(arg)
                continue
            name, has_value, value = arg.lstrip("-").partition("=")
            flag = self._flags.get(name)
            if flag is None and name.startswith("no") and not has_value:
                negated = self._flags.get(name[2:])
                if negated is not None and negated.boolean:
                    values[negated.name] = False
                    continue
            if flag is None:
                if known_only:
                    rest.append(arg)
                    continue
                raise UnrecognizedFlagError("Unknown command line flag %r" % name)
            if not has_value:
                if flag.boolean:
                    values[name] = True
                    continue
                if i >= len(args):
                    raise IllegalFlagValueError("flag --%s: it needs a value (--%s=...)" % (name, name))
                value = args[i]
                i += 1
            try:
                values[name] = flag.parse(value)
            except (ValueError, TypeError) as e:
                raise IllegalFlagValueError("flag --%s=%s: %s" % (name, value, e)) from None
        for name, value in values.items():           # all parsed before any is set: nothing half-done
            self._flags[name].value = value
        object.__setattr__(self, "_parsed", True)
        return rest

    def is_parsed(self) -> bool:
        return self._parsed

    def mark_as_parsed(self) -> None:
        object.__setattr__(self, "_parsed", True)

    def __getattr__(self, name: str) -> Any:
        flags = self.__dict__["_flags"]
        if name not in flags:
            raise AttributeError("There is no flag --%s: define it first, e.g. tf.flags.DEFINE_string(%r, "
                                 "'default', 'what it is')." % (name, name))
        if not self._parsed:                         # as TF1's flags: parse sys.argv on first use
            self(sys.argv, known_only=True)
        return flags[name].value

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self._flags:
            raise AttributeError("There is no flag --%s to set." % name)
        self._flags[name].value = value

    def __contains__(self, name: str) -> bool:
        return name in self._flags

    def __iter__(self):
        return iter(self._flags)

    def flag_values_dict(self) -> "dict[str, Any]":
        return {name: flag.value for name, flag in self._flags.items()}


FLAGS = FlagValues()


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).lower()
    if text in ("true", "t", "1"):
        return True
    if text in ("false", "f", "0"):
        return False
    raise ValueError("Non-boolean argument to boolean flag: %r" % value)


def _list(value: Any) -> "list[str]":
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    text = str(value)
    return [v.strip() for v in text.split(",")] if text else []          # (absl keeps empty entries)


def _integer(value: Any) -> int:
    """An int, also written in hex or octal (``0x10``, ``0o17``), as absl reads them."""
    if isinstance(value, str):
        text = value.strip().lower()
        base = 16 if text.lstrip("-").startswith("0x") else 8 if text.lstrip("-").startswith("0o") else 10
        return int(text, base)
    return int(value)


def DEFINE_string(name: str, default: Any, help: str, flag_values: FlagValues = FLAGS) -> None:  # noqa: A002,N802
    flag_values._define(_Flag(name, default, help, str))


def DEFINE_integer(name: str, default: Any, help: str, flag_values: FlagValues = FLAGS,  # noqa: A002,N802
                   lower_bound: "int | None" = None, upper_bound: "int | None" = None) -> None:
    flag_values._define(_Flag(name, default, help, _bounded(_integer, lower_bound, upper_bound)))


def DEFINE_float(name: str, default: Any, help: str, flag_values: FlagValues = FLAGS,  # noqa: A002,N802
                 lower_bound: "float | None" = None, upper_bound: "float | None" = None) -> None:
    flag_values._define(_Flag(name, default, help, _bounded(float, lower_bound, upper_bound)))


def DEFINE_boolean(name: str, default: Any, help: str, flag_values: FlagValues = FLAGS) -> None:  # noqa: A002,N802
    flag_values._define(_Flag(name, default, help, _boolean, boolean=True))


DEFINE_bool = DEFINE_boolean


def DEFINE_list(name: str, default: Any, help: str, flag_values: FlagValues = FLAGS) -> None:  # noqa: A002,N802
    flag_values._define(_Flag(name, default, help, _list))


def DEFINE_enum(name: str, default: Any, enum_values: "list[str]", help: str,  # noqa: A002,N802
                flag_values: FlagValues = FLAGS) -> None:
    def parse(value: Any) -> str:
        if value not in enum_values:
            raise ValueError("value should be one of <%s>" % "|".join(enum_values))
        return value
    flag_values._define(_Flag(name, default, help, parse))


def _bounded(kind: Callable, low: Any, high: Any) -> Callable:
    def parse(value: Any) -> Any:
        number = kind(value)
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError("%s is not in [%s, %s]" % (number, low, high))
        return number
    return parse


def __dir__() -> "list[str]":
    return list(__all__)
