"""The sandbox templates render in: jinja2's immutable sandbox (no `_` attributes, no mutation of
lists and dicts, no unsafe callables), plus bounds on how much a template can make the machine do.

jinja2's sandbox guards against escapes, not against exhaustion: `'x'.center(10**9)`, a replace that
multiplies a string, `'%1000000000s' % x`, two nested `range(100000)` loops or a doubling `~` in a
loop would eat gigabytes or hours. A template is the merchant's to import from anywhere, so every
render runs on a budget:
- each loop iteration, call, filter, operator and piece of output costs work units (characters
  handled), at most MAX_WORK per render;
- no single text, list or number grows beyond MAX_VALUE characters / MAX_INT_BITS bits, and the
  operations that can blow up before that check (padding widths, repetition, replace, join, tab
  expansion, indent, format widths) are checked on their arguments first.
A template over budget is refused with SecurityError, which render.py turns into a TemplateError.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from jinja2 import Environment, nodes, pass_context
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.visitor import NodeTransformer

MAX_STRING = 100_000  # the widest padding, the longest repetition, the largest number argument
MAX_VALUE = 1_000_000  # the longest text or list one step may produce
MAX_WORK = 2_000_000  # work units per render: a built-in template uses a few thousand
MAX_INT_BITS = 10_000
_SIZED = (str, list, tuple, dict, set, frozenset)
_INTS_IN_SPEC = re.compile(r"\d+")
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\d+|\*)?(?:\.(\d+|\*))?[a-zA-Z%]")


class _Budget:
    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = MAX_WORK


_BUDGET: ContextVar[_Budget | None] = ContextVar("shopscribe_template_budget", default=None)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, _SIZED) else 1


def _charge(units: int) -> None:
    budget = _BUDGET.get()
    if budget is None:
        return
    budget.left -= units
    if budget.left < 0:
        raise SecurityError(f"the template does too much work (over {MAX_WORK:,} steps)")


def _check_value(value: Any, what: str) -> Any:
    if isinstance(value, _SIZED) and len(value) > MAX_VALUE:
        raise SecurityError(f"{what} would make a value longer than {MAX_VALUE:,}")
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError(f"{what} would make a number too large")
    return value


def _check_numbers(args: Iterable[Any], what: str) -> None:
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_STRING:
            shown = arg if abs(arg) < 10**12 else f"of about {int(arg.bit_length() * 0.30103)} digits"
            raise SecurityError(f"{what} was given a number ({shown}) larger than {MAX_STRING:,}")


def _spec_widths(fmt: str, args: tuple, kwargs: dict) -> int:
    """An upper bound on the padding a format string asks for, `{}` and `%` styles together."""
    biggest_arg = max([abs(a) for a in (*args, *kwargs.values()) if isinstance(a, int)] or [0])
    total = 0
    try:
        for _literal, _field, spec, _conv in string.Formatter().parse(fmt):
            if spec:
                total += sum(int(n) for n in _INTS_IN_SPEC.findall(spec)) + spec.count("{") * biggest_arg
    except ValueError:
        pass  # not a valid {}-format string: formatting it will fail on its own
    for match in _PERCENT_SPEC.finditer(fmt):
        for part in match.groups():
            total += biggest_arg if part == "*" else int(part or 0)
    return total


def _check_format(fmt: str, args: tuple, kwargs: dict) -> None:
    if _spec_widths(fmt, args, kwargs) > MAX_VALUE:
        raise SecurityError("the format string pads too much")


def _replace_bound(text: str, old: str, new: str, count: int | None = None) -> int:
    times = len(text) + 1 if not old else len(text) // len(old)
    if count is not None and count >= 0:
        times = min(times, count)
    return len(text) + times * max(0, len(new) - len(old))


def _materialise(value: Any) -> Any:
    """Generators become lists, so their length is known before a join multiplies them."""
    if isinstance(value, _SIZED) or not isinstance(value, Iterable):
        return value
    items = []
    for item in value:
        _charge(1)
        items.append(item)
        if len(items) > MAX_VALUE:
            raise SecurityError(f"a sequence longer than {MAX_VALUE:,}")
    return items


def _check_join(separator: Any, items: Any) -> None:
    if isinstance(items, _SIZED) and len(str(separator)) * len(items) > MAX_VALUE:
        raise SecurityError("the join would make a text too long")


def _check_str_method(name: str, text: str, args: tuple, kwargs: dict) -> tuple:
    """Arguments of the str methods that can grow a text faster than their inputs, checked first."""
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        count = args[2] if len(args) > 2 else kwargs.get("count")
        if _replace_bound(text, args[0], args[1], count if isinstance(count, int) else None) > MAX_VALUE:
            raise SecurityError("the replace would make a text too long")
    elif name == "join" and args:
        args = (_materialise(args[0]), *args[1:])
        _check_join(text, args[0])
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        if isinstance(size, int) and text.count("\t") * size > MAX_VALUE:
            raise SecurityError("the tab expansion would make a text too long")
    return args


def _check_filter(name: str, args: tuple, kwargs: dict) -> tuple:
    """The same first checks for jinja2's built-in filters (args start after the context ones)."""
    first = next((i for i,
                  a in enumerate(args) if not isinstance(a, (Context, EvalContext, Environment))), len(args))
    values = args[first:]
    if name == "join" and values:
        index = first
        items = _materialise(values[0])
        args = (*args[:index], items, *args[index + 1:])
        separator = values[1] if len(values) > 1 else kwargs.get("d", "")
        _check_join(separator, items)
    elif name == "replace" and len(values) >= 3:
        text, old, new = (str(v) for v in values[:3])
        count = values[3] if len(values) > 3 else kwargs.get("count")
        if _replace_bound(text, old, new, count if isinstance(count, int) else None) > MAX_VALUE:
            raise SecurityError("the replace would make a text too long")
    elif name == "indent" and values:
        width = values[1] if len(values) > 1 else kwargs.get("width", 4)
        lines = str(values[0]).count("\n") + 1
        if lines * (len(width) if isinstance(width, str) else int(width or 0)) > MAX_VALUE:
            raise SecurityError("the indent would make a text too long")
    elif name == "format" and values:
        _check_format(str(values[0]), tuple(values[1:]), kwargs)
    return args


def _bounded_filter(name: str, func: Any) -> Any:
    @functools.wraps(func)  # keeps jinja2's pass_context / pass_eval_context marks
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _charge(1 + sum(_size(a) for a in args) + sum(_size(v) for v in kwargs.values()))
        _check_numbers((*args, *kwargs.values()), f"the filter {name!r}")
        args = _check_filter(name, args, kwargs)
        result = func(*args, **kwargs)
        _charge(_size(result))
        return _check_value(result, f"the filter {name!r}")

    return bounded


def _bounded_range(*args: int) -> range:
    _check_numbers(args, "range()")
    numbers = range(*args)
    _charge(len(numbers))
    return numbers


@pass_context  # never folded into a constant at compile time, when no budget is running
def _iter(_context: Context, value: Any) -> Iterator[Any]:
    """Every loop iterates through this: one unit per round."""
    for item in value:
        _charge(1)
        yield item


@pass_context
def _out(_context: Context, value: Any) -> Any:
    """Every piece of output passes through this: its length is charged."""
    _charge(len(str(value)))
    return value


@pass_context
def _joined(context: Context, value: Any) -> Any:
    return _check_value(_out(context, value), "joining texts with ~")


class _Bound(NodeTransformer):
    """Route loops, `~` and output through the budget."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = self.generic_visit(node)
        if not node.recursive:  # a recursive loop's inner rounds are calls of loop(): charged as calls
            node.iter = nodes.Filter(node.iter, "_ss_iter", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        node = self.generic_visit(node)
        return nodes.Filter(node, "_ss_size", [], [], None, None, lineno=node.lineno)

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        node = self.generic_visit(node)
        wrapped = []
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                child = nodes.Const(child.data, lineno=child.lineno)
            wrapped.append(nodes.Filter(child, "_ss_out", [], [], None, None, lineno=child.lineno))
        node.nodes = wrapped
        return node


class BoundedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _bounded_filter(name, func) for name, func in self.filters.items()}
        self.filters.update({"_ss_iter": _iter, "_ss_out": _out, "_ss_size": _joined})
        self.globals.pop("lipsum", None)  # lipsum(100000) takes seconds and has no use in a prompt
        self.globals["range"] = _bounded_range

    def compile_source(self, source: str) -> Any:
        """Parse, route through the budget, compile. Raises TemplateSyntaxError on bad syntax."""
        return self.from_string(_Bound().visit(self.parse(source)))

    def render_bounded(self, compiled: Any, context: dict) -> str:
        token = _BUDGET.set(_Budget())
        try:
            return compiled.render(context)
        finally:
            _BUDGET.reset(token)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _charge(1 + _size(left) + _size(right))
        ints = isinstance(left, int) and isinstance(right, int)
        if operator == "**" and isinstance(right, int) and (
                right > 64 or (isinstance(left, int) and left.bit_length() * max(right, 0) > MAX_INT_BITS)):
            raise SecurityError("exponent too large")
        if operator == "*":
            if ints and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                raise SecurityError("the product would be a number too large")
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, (str, list, tuple))
                    and isinstance(times, int)
                    and len(seq) * times > MAX_STRING
                ):
                    raise SecurityError("the repeated text would be too long")
        if operator == "%" and isinstance(left, str):
            _check_format(left, right if isinstance(right, tuple) else (right,),
                          right if isinstance(right, dict) else {})
        result = super().call_binop(context, operator, left, right)
        _charge(_size(result))
        return _check_value(result, f"the operator {operator!r}")

    def getattr(self, obj: Any, attribute: str) -> Any:
        _charge(1)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _charge(1)
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _charge(1 + sum(_size(a) for a in args) + sum(_size(v) for v in kwargs.values()))
        _check_numbers((*args, *kwargs.values()), "a call")
        method = getattr(__obj, "__wrapped__", __obj)  # str.format arrives wrapped by the sandbox
        owner = getattr(method, "__self__", None)
        name = getattr(method, "__name__", "")
        if isinstance(owner, str):
            if name in ("format", "format_map"):
                given = (
                    dict(args[0]) if name == "format_map" and args and isinstance(args[0], dict) else kwargs
                )
                _check_format(owner, args if name == "format" else (), given)
            else:
                args = _check_str_method(name, owner, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        _charge(_size(result))
        return _check_value(result, "a call")
