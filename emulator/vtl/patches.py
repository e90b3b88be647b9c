"""Patches that make airspeed-ext evaluate VTL the way AppSync (Velocity 1.7) does.

Each patch names the divergence it removes; tests/vtl/ holds one test per divergence,
quoting the AppSync behaviour it follows. airspeed builds its parser from module-level
names at parse time, so replacing those names (once, on import) changes every template
compiled afterwards. Only the emulator imports airspeed, so the process-wide change
touches nothing else.
"""

from __future__ import annotations

import math
import operator
import re
from decimal import Decimal
from typing import Any

from airspeed import operators as av

from emulator.vtl.errors import BreakSignal, ReturnSignal, TemplateError
from emulator.vtl.java import MapEntry, java_equals, java_str, methods_for

_PATCHED = False


def velocity_truth(value: Any) -> bool:
    """Velocity 1.7: only null and `false` are false; "" , 0 and empty lists are true."""
    return value is not None and value is not False


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _compare(op: Any) -> Any:
    """Relational operators: null or mismatched types compare false instead of raising."""

    def apply(left: Any, right: Any) -> bool:
        if (_is_number(left) and _is_number(right)) or (
            isinstance(left, str) and isinstance(right, str)
        ):
            return op(left, right)
        return False

    return apply


def _add(left: Any, right: Any) -> Any:
    if isinstance(left, str) or isinstance(right, str):
        return java_str(left) + java_str(right)
    if _is_number(left) and _is_number(right):
        return left + right
    return None


def _arith(op: Any) -> Any:
    def apply(left: Any, right: Any) -> Any:
        if _is_number(left) and _is_number(right):
            return op(left, right)
        return None

    return apply


def _divide(left: Any, right: Any) -> Any:
    """Java division: integers truncate toward zero; division by zero yields null."""
    if not (_is_number(left) and _is_number(right)) or right == 0:
        return None
    if isinstance(left, int) and isinstance(right, int):
        quotient = abs(left) // abs(right)
        return quotient if (left >= 0) == (right >= 0) else -quotient
    return left / right


def _modulo(left: Any, right: Any) -> Any:
    if not (_is_number(left) and _is_number(right)) or right == 0:
        return None
    if isinstance(left, int) and isinstance(right, int):
        return int(math.fmod(left, right))
    return math.fmod(left, right)


_OPERATORS = {
    ">": _compare(operator.gt),
    "gt": _compare(operator.gt),
    ">=": _compare(operator.ge),
    "ge": _compare(operator.ge),
    "<": _compare(operator.lt),
    "lt": _compare(operator.lt),
    "<=": _compare(operator.le),
    "le": _compare(operator.le),
    "==": java_equals,
    "eq": java_equals,
    "!=": lambda a, b: not java_equals(a, b),
    "ne": lambda a, b: not java_equals(a, b),
    "%": _modulo,
    "||": lambda a, b: velocity_truth(a) or velocity_truth(b),
    "&&": lambda a, b: velocity_truth(a) and velocity_truth(b),
    "or": lambda a, b: velocity_truth(a) or velocity_truth(b),
    "and": lambda a, b: velocity_truth(a) and velocity_truth(b),
    "+": _add,
    "-": _arith(operator.sub),
    "*": _arith(operator.mul),
    "/": _divide,
}


_AND = frozenset(("&&", "and"))
_OR = frozenset(("||", "or"))


class _Operation:
    """One binary operation of an expression, its operands still unevaluated.

    airspeed reduced its operator stack eagerly, evaluating both operands of `&&`/`||`
    (right before left). Velocity 1.7 evaluates the left operand first and the right
    one only when it decides the result (ASTAndNode/ASTOrNode.evaluate), so templates
    rely on `$list.size() > 1 && $list.get(1)...` not failing.
    """

    __slots__ = ("_full_text", "apply_to", "end", "left", "operator", "right", "start")

    def __init__(self, operator_element: Any, left: Any, right: Any) -> None:
        self.operator = operator_element.op
        self.apply_to = operator_element.apply_to
        self.left = left
        self.right = right
        self.start = left.start
        self.end = right.end
        self._full_text = left.full_text()

    def full_text(self) -> str:
        return self._full_text

    def calculate(self, namespace: Any, loader: Any) -> Any:
        if self.operator in _AND:
            return velocity_truth(self.left.calculate(namespace, loader)) and velocity_truth(
                self.right.calculate(namespace, loader)
            )
        if self.operator in _OR:
            return velocity_truth(self.left.calculate(namespace, loader)) or velocity_truth(
                self.right.calculate(namespace, loader)
            )
        left = self.left.calculate(namespace, loader)
        right = self.right.calculate(namespace, loader)
        if self.operator == "+" and (isinstance(left, str) or isinstance(right, str)):
            # Velocity 1.7 ASTAddNode.handleSpecial: a null operand of a string
            # concatenation contributes its literal text ("a" + $x is "a$x").
            if left is None:
                left = _literal(self.left)
            elif right is None:
                right = _literal(self.right)
        return self.apply_to(left, right)


def _literal(element: Any) -> str:
    """The text of an operand as the template writes it (Velocity's `Node.literal()`)."""
    return element.full_text()[element.start : element.end]


def _expression_tree(terms: list[Any]) -> Any:
    """Operands and operators in airspeed's precedence, left-associative, as a tree."""
    operands = [terms[0]]
    operators: list[Any] = []

    def reduce() -> None:
        right, left = operands.pop(), operands.pop()
        operands.append(_Operation(operators.pop(), left, right))

    for index in range(1, len(terms), 2):
        operator_element = terms[index]
        while operators and not operator_element.greater_precedence_than(operators[-1]):
            reduce()
        operators.append(operator_element)
        operands.append(terms[index + 1])
    while operators:
        reduce()
    return operands[0]


def _expression_calculate(self: Any, namespace: Any, loader: Any) -> Any:
    tree = self.__dict__.get("_tree")
    if tree is None:
        tree = self._tree = _expression_tree(self.expression)
    return tree.calculate(namespace, loader)


def _binary_operator_parse(self: Any) -> None:
    """airspeed's parse, keeping the operator's text so `&&`/`||`/`+` can be told apart."""
    (self.op,) = self.identity_match(self.BINARY_OP)
    self.apply_to = self.OPERATORS[self.op]
    self.precedence = self.PRECEDENCE[self.op]


_airspeed_reference_parse = av.FormalReference.parse


def _reference_parse(self: Any) -> None:
    """Keep whether the reference is quiet (`$!x`); airspeed made every reference quiet."""
    match = self.START.match(self._full_text, self.end)
    _airspeed_reference_parse(self)
    self.silent = bool(match and match.group(1))


def _reference_evaluate_raw(self: Any, stream: Any, namespace: Any, loader: Any) -> None:
    """Velocity 1.7 ASTReference.render: a null reference writes its literal text as
    written (`$x`, `${x}`, `$x.y($z)`); a quiet one (`$!x`) writes nothing."""
    value = None if self.expression is None else self.expression.calculate(namespace, loader)
    if value is None and self.alternate is not None:
        value = self.alternate.calculate(namespace, loader)
        value = "" if value is None else value
    if value is None:
        stream.write("" if self.silent and self.expression is not None else self.my_text())
    elif isinstance(value, str):
        stream.write(value)
    else:
        stream.write(java_str(value))


def _condition_calculate(self: Any, namespace: Any, loader: Any) -> bool:
    """`#if($null)` is false in AppSync; airspeed treated null as true."""
    return velocity_truth(self.expression.calculate(namespace, loader))


def _unary_calculate(self: Any, namespace: Any, loader: Any) -> bool:
    """`!$null` is true in Velocity; airspeed returned false."""
    return not velocity_truth(self.value.calculate(namespace, loader))


def call_method(target: Any, name: str, args: list[Any]) -> Any:
    """Invoke a Java method on a template value, or a host method on $util-like objects."""
    if target is None:
        return None
    java = methods_for(target)
    if java is not None:
        type_name, table = java
        method = table.get(name)
        if method is None:
            raise TemplateError(f"no method {name}() on a {type_name} value in VTL")
        try:
            return method(target, *args)
        except TypeError as exc:
            raise TemplateError(
                f"{type_name}.{name}() cannot take {len(args)} argument(s): {exc}"
            ) from exc
    method = None if name.startswith("_") else getattr(target, name, None)
    if not callable(method):
        raise TemplateError(f"no method {name}() on {type(target).__name__} in VTL")
    return method(*args)


def get_property(target: Any, name: str) -> Any:
    """`$x.name`: a Map key, else a bean getter (`getName()`/`isName()`) as Velocity does."""
    if target is None:
        return None
    if isinstance(target, dict):
        return target.get(name)
    if isinstance(target, MapEntry):
        return target.key if name == "key" else target.value if name == "value" else None
    java = methods_for(target)
    capitalised = name[:1].upper() + name[1:]
    if java is not None:
        _, table = java
        for getter in (f"get{capitalised}", f"is{capitalised}"):
            if getter in table:
                return table[getter](target)
        return None
    if name.startswith("_"):
        return None
    value = getattr(target, name, None)
    if value is None:
        getter = getattr(target, f"get{capitalised}", None)
        if callable(getter):
            return getter()
    return value


def _index(container: Any, key: Any) -> Any:
    if container is None:
        return None
    if isinstance(container, list):
        if (
            isinstance(key, int)
            and not isinstance(key, bool)
            and -len(container) <= key < len(container)
        ):
            return container[key]
        return None
    if isinstance(container, dict):
        return container.get(key)
    return None


def _name_or_call_calculate(self: Any, current: Any, loader: Any, top_namespace: Any) -> Any:
    """Property/method resolution with Java semantics (see `call_method`, `get_property`)."""
    if isinstance(current, av.LocalNamespace):
        try:
            result = current[self.name]
        except KeyError:
            result = None
        if isinstance(result, av._FunctionDefinition):
            params = self.parameters.calculate(top_namespace, loader) if self.parameters else []
            stream = av.StoppableStream()
            result.execute_function(stream, top_namespace, params, loader)
            return stream.getvalue()
        if self.parameters is not None and callable(result):
            return result(*self.parameters.calculate(top_namespace, loader))
    elif self.parameters is not None:
        return call_method(current, self.name, self.parameters.calculate(top_namespace, loader))
    else:
        result = get_property(current, self.name)
    if self.index is not None:
        result = _index(result, self.index.calculate(top_namespace, loader))
    return result


def _sub_expression_calculate(self: Any, current: Any, loader: Any, global_namespace: Any) -> Any:
    if not isinstance(self.expression, av.ArrayIndex):
        return self.expression.calculate(current, loader, global_namespace)
    result = _index(current, self.expression.calculate(global_namespace, loader))
    if self.subexpression:
        result = self.subexpression.calculate(result, loader, global_namespace)
    return result


def _foreach_evaluate_raw(self: Any, stream: Any, namespace: Any, loader: Any) -> None:
    """Maps iterate their values (Velocity), `$foreach.*` is set, `#break` leaves the loop."""
    iterable = self.value.calculate(namespace, loader)
    if iterable is None:
        return
    if isinstance(iterable, dict):
        items = list(iterable.values())
    elif isinstance(iterable, list | tuple | range):
        items = list(iterable)
    else:
        raise TemplateError(
            f"#foreach over ${self.loop_var_name} needs a List or Map, got {java_str(iterable)!r}"
        )
    length = len(items)
    for count, item in enumerate(items, start=1):
        local = av.LocalNamespace(namespace)
        local["velocityCount"] = count
        local["velocityHasNext"] = count < length
        local["foreach"] = {
            "count": count,
            "index": count - 1,
            "hasNext": count < length,
            "first": count == 1,
            "last": count == length,
        }
        local[self.loop_var_name] = item
        try:
            self.block.evaluate(stream, local, loader)
        except BreakSignal:
            break


def _set_inherited(self: Any, key: str, value: Any) -> None:
    """`#set` inside `#foreach` is visible after the loop: Velocity has one context."""
    target = self.find_outermost(key)
    if target is None:
        target = self
        while isinstance(target.parent, av.LocalNamespace):
            target = target.parent
    target[key] = value


class ReturnDirective(av._Element):
    """`#return` and `#return(value)`: leave the template; see `emulator.vtl.engine`."""

    START = re.compile(r"#(?:return|\{return\})(?![\w])(.*)$", re.S)
    OPEN_PAREN = re.compile(r"[ \t]*\(\s*(.*)$", re.S)
    CLOSE_PAREN = re.compile(r"\s*\)(.*)$", re.S)

    def parse(self) -> None:
        self.identity_match(self.START)
        self.value = None
        if self.optional_match(self.OPEN_PAREN):
            self.value = self.require_next_element(av.Expression, "value")
            self.require_match(self.CLOSE_PAREN, ")")

    def evaluate_raw(self, stream: Any, namespace: Any, loader: Any) -> None:
        if self.value is None:
            raise ReturnSignal()
        raise ReturnSignal(self.value.calculate(namespace, loader), has_value=True)


class BreakDirective(av._Element):
    """`#break` / `#break($foreach)`: leave the innermost loop."""

    START = re.compile(r"#(?:break|\{break\})(?![\w])(.*)$", re.S)
    ARGUMENT = re.compile(r"[ \t]*\(\s*\$\w+\s*\)(.*)$", re.S)

    def parse(self) -> None:
        self.identity_match(self.START)
        self.optional_match(self.ARGUMENT)

    def evaluate_raw(self, stream: Any, namespace: Any, loader: Any) -> None:
        raise BreakSignal()


_TEXT_PLAIN = re.compile(
    r"((?:[^\\\$#]+|\\[\$#])+|\$[^!\{a-z0-9_]|\$$|#$|#[^\{\}a-zA-Z0-9#\*\$]+|\\.)(.*)$",
    re.S | re.I,
)
"""airspeed's plain-text rule with `$` excluded after `#`: in `"a#${x}"` airspeed swallowed
`#$` as text and never interpolated `${x}`; Velocity renders `a#` followed by `$x`."""


def apply() -> None:
    """Install every patch once; compiled templates cached before this are not affected.

    List literals may span lines (`[` newline `{...}`), as in Velocity; airspeed allowed
    only spaces and tabs after `[` and before `]`.
    """
    global _PATCHED
    if _PATCHED:
        return
    av.value_to_string = java_str
    av.boolean_value = velocity_truth
    av.BinaryOperator.OPERATORS = _OPERATORS
    av.BinaryOperator.parse = _binary_operator_parse
    av.Expression.calculate = _expression_calculate
    av.FormalReference.parse = _reference_parse
    av.FormalReference.evaluate_raw = _reference_evaluate_raw
    av.Condition.calculate = _condition_calculate
    av.UnaryOperatorValue.calculate = _unary_calculate
    av.NameOrCall.calculate = _name_or_call_calculate
    av.SubExpression.calculate = _sub_expression_calculate
    av.ForeachDirective.evaluate_raw = _foreach_evaluate_raw
    av.LocalNamespace.set_inherited = _set_inherited
    av.ReturnDirective = ReturnDirective
    av.Text.PLAIN = _TEXT_PLAIN
    av.ArrayLiteral.START = re.compile(r"\[\s*(.*)$", re.S)
    av.ArrayLiteral.END = re.compile(r"\s*\](.*)$", re.S)
    if BreakDirective not in av.UserDefinedDirective.DIRECTIVES:
        av.UserDefinedDirective.DIRECTIVES.append(BreakDirective)
    _PATCHED = True
