"""Duration notations read into seconds, with the unit traps that make naive parsing wrong.

The timeout-escalation audit compares wait values across successive tool calls, so every
notation an agent may write has to land on one scale (seconds):

* text notations: ``30``, ``1.5``, ``2m``, ``1m30s``, ``1h30m``, ``10m0s`` (Go), ``500ms``,
  ``PT1M30S`` (ISO 8601), ``5 minutes``, ``10 seconds``, ``5min`` (systemd);
* code expressions: ``5*time.Second``, ``time.Duration(20)*time.Second``,
  ``Duration.ofMinutes(2)``, ``Duration::from_millis(1500)``, ``TimeSpan.FromSeconds(15)``,
  ``timedelta(minutes=2)``, ``30.seconds`` (Kotlin), ``"90s"`` (Gomega strings).

A *bare* number has no unit of its own: its context decides (``sleep 30`` is seconds,
``Thread.sleep(5000)`` and ``setTimeout(fn, 5000)`` are milliseconds, Go's
``time.Sleep(5)`` is nanoseconds). Callers pass that unit as ``bare_unit``.

A zero *timeout* is not a small timeout: ``kubectl wait --timeout=0`` checks once,
``go test -timeout 0`` and ``timeout 0 cmd`` disable the limit. :func:`as_timeout` turns it
into an explicit ``once`` flag with no value, so it never reads as a raise or a cut.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

UNIT_SECONDS: dict[str, float] = {
    **dict.fromkeys(("ns", "nsec", "nsecs", "nano", "nanos", "nanosecond", "nanoseconds"), 1e-9),
    **dict.fromkeys(("us", "µs", "μs", "usec", "usecs", "micro", "micros", "microsecond", "microseconds"), 1e-6),
    **dict.fromkeys(("ms", "msec", "msecs", "milli", "millis", "millisecond", "milliseconds"), 1e-3),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1.0),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60.0),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600.0),
    **dict.fromkeys(("d", "day", "days"), 86400.0),
    **dict.fromkeys(("w", "week", "weeks"), 604800.0),
}

_NUMBER = r"(?:\d[\d_]*(?:\.\d*)?|\.\d+)"
_BARE_NUMBER = re.compile(rf"\+?({_NUMBER}(?:[eE][+-]?\d+)?)[lLfF]?")
_UNIT_PART = re.compile(rf"\s*({_NUMBER})\s*([a-zµμ]+)\s*(?:,|\band\b)?", re.IGNORECASE)
_ISO = re.compile(
    r"P(?:(?P<w>\d+(?:[.,]\d+)?)W)?(?:(?P<d>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:[.,]\d+)?)H)?(?:(?P<m>\d+(?:[.,]\d+)?)M)?(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?",
    re.IGNORECASE,
)
_ISO_FACTORS = {"w": 604800.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_INFINITY = frozenset({"infinity", "inf", "forever"})


def unit_seconds(unit: str) -> float | None:
    """Seconds in one ``unit`` (``"ms"``, ``"minutes"``, ``"µs"``…), or None if unknown."""
    return UNIT_SECONDS.get(unit.strip().lower()) if unit else None


def parse_duration(text: str, bare_unit: str = "s") -> float | None:
    """Seconds in a duration notation, or None when ``text`` is not one.

    Accepts bare numbers (read in ``bare_unit``), unit sequences (``1h30m``, ``10m0s``,
    ``1m 30s``, ``5 minutes``, ``500ms``, ``5min``) and ISO 8601 (``PT1M30S``).
    ``infinity`` gives ``math.inf``; negative values give None.
    """
    if not isinstance(text, str):
        return None
    value = _strip_quotes(text.strip())
    if not value or len(value) > 80:
        return None
    if value.lower() in _INFINITY:
        return math.inf
    for reader in (_read_bare, _read_iso, _read_unit_sequence):
        seconds = reader(value, bare_unit)
        if seconds is not None:
            return seconds if math.isfinite(seconds) and seconds >= 0 else None
    return None


def as_timeout(seconds: float | None) -> tuple[float | None, bool]:
    """A timeout's (value, once): zero becomes (None, True) — check once / no limit, not a value."""
    if seconds == 0:
        return None, True
    return seconds, False


def parse_duration_expr(expr: str, bare_unit: str = "s") -> float | None:
    """Seconds in a code expression or notation, or None when it is not a known constant.

    Handles products and sums of literals and unit constants (Go ``5*time.Second``,
    ``time.Duration(20)*time.Second``), duration constructors (Java ``Duration.ofMinutes``,
    ``TimeUnit.SECONDS.toMillis``, Rust ``Duration::from_millis``, C# ``TimeSpan.FromSeconds``,
    Python ``timedelta``, C++ ``std::chrono::seconds``, Kotlin ``30.seconds``), quoted
    notations (``"90s"``) and everything :func:`parse_duration` reads. Identifiers whose value
    is unknown (variables, function calls) make the whole expression unknown, and so does a
    bare number when ``bare_unit`` is not a unit (pass e.g. ``"bare"`` to accept only
    values that carry their own unit).
    """
    if not isinstance(expr, str) or not expr.strip() or len(expr) > 400:
        return None
    direct = parse_duration(expr, bare_unit)
    if direct is not None:
        return direct
    try:
        quantity = _ExprParser(expr, bare_unit).parse()
    except _NotADurationError:
        return None
    if quantity is None:
        return None
    seconds = quantity.seconds(bare_unit)
    return seconds if seconds is not None and math.isfinite(seconds) and seconds >= 0 else None


def duration_from_args(args: list[str], bare_unit: str = "s") -> float | None:
    """A duration given as call arguments: ``(30, SECONDS)``, ``(2, ChronoUnit.MINUTES)`` or one expression."""
    if len(args) == 2 and unit_constant_seconds(args[1].strip()) is not None:
        return parse_duration_expr(f"({args[0]})*{args[1].strip()}", bare_unit)
    if len(args) == 1:
        return parse_duration_expr(args[0], bare_unit)
    return None


def unit_constant_seconds(name: str) -> float | None:
    """Seconds of a unit constant: ``time.Second``, ``TimeUnit.SECONDS``, ``ChronoUnit.MINUTES``…"""
    last = re.split(r"\.|::", name)[-1]
    if name.startswith("time.") or name in _GO_UNITS:
        return _GO_UNITS.get(last)
    return _ENUM_UNITS.get(last)


_GO_UNITS = {
    "Nanosecond": 1e-9,
    "Microsecond": 1e-6,
    "Millisecond": 1e-3,
    "Second": 1.0,
    "Minute": 60.0,
    "Hour": 3600.0,
}
_ENUM_UNITS = {
    "NANOSECONDS": 1e-9,
    "NANOS": 1e-9,
    "MICROSECONDS": 1e-6,
    "MICROS": 1e-6,
    "MILLISECONDS": 1e-3,
    "MILLIS": 1e-3,
    "SECONDS": 1.0,
    "MINUTES": 60.0,
    "HOURS": 3600.0,
    "DAYS": 86400.0,
}


def _strip_quotes(value: str) -> str:
    while len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'`":
        value = value[1:-1].strip()
    return value


def _read_bare(value: str, bare_unit: str) -> float | None:
    match = _BARE_NUMBER.fullmatch(value)
    factor = unit_seconds(bare_unit)
    if not match or factor is None:
        return None
    return float(match.group(1).replace("_", "")) * factor


def _read_iso(value: str, bare_unit: str) -> float | None:
    match = _ISO.fullmatch(value)
    if not match or not any(match.groupdict().values()) or value.upper().endswith("T"):
        return None
    return sum(
        float(amount.replace(",", ".")) * _ISO_FACTORS[key] for key, amount in match.groupdict().items() if amount
    )


def _read_unit_sequence(value: str, bare_unit: str) -> float | None:
    total = 0.0
    position = 0
    while position < len(value):
        match = _UNIT_PART.match(value, position)
        if not match or match.end() == position:
            return None
        factor = unit_seconds(match.group(2))
        if factor is None:
            return None
        total += float(match.group(1).replace("_", "")) * factor
        position = match.end()
    return total if position else None


class _NotADurationError(Exception):
    """Raised inside the expression parser when the text is not a duration constant."""


class _Quantity:
    """A number that is either a time (in seconds) or bare (unit still to be decided)."""

    __slots__ = ("timed", "value")

    def __init__(self, value: float, timed: bool) -> None:
        self.value = value
        self.timed = timed

    def seconds(self, bare_unit: str) -> float | None:
        if self.timed:
            return self.value
        factor = unit_seconds(bare_unit)
        return None if factor is None else self.value * factor


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
     |(?P<num>(?:\d[\d_]*(?:\.\d[\d_]*)?|\.\d+)(?:[eE][+-]?\d+)?)(?P<suffix>[A-Za-zµμ]+)?
     |(?P<name>[A-Za-z_$][\w$]*(?:(?:\.|::)[A-Za-z_$][\w$]*)*)
     |(?P<op>[-+*/(),=.])
    )""",
    re.VERBOSE,
)
_LITERAL_SUFFIXES = frozenset({"l", "L", "f", "F", "d", "D", "u", "U", "UL", "ul", "LL", "ll", "n"})
_PASSTHROUGH_CALLS = frozenset(
    {
        "int",
        "float",
        "long",
        "Number",
        "parseInt",
        "parseFloat",
        "Math.round",
        "Math.floor",
        "Math.ceil",
        "Long.valueOf",
        "Integer.valueOf",
        "time.Duration",
        "Duration",
        "uint64",
        "int64",
    }
)
_KOTLIN_UNIT_MEMBERS = {
    "nanoseconds": 1e-9,
    "microseconds": 1e-6,
    "milliseconds": 1e-3,
    "seconds": 1.0,
    "minutes": 60.0,
    "hours": 3600.0,
    "days": 86400.0,
}
_TIMEDELTA_ORDER = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")
_TIMEDELTA_UNITS = {
    "days": 86400.0,
    "seconds": 1.0,
    "microseconds": 1e-6,
    "milliseconds": 1e-3,
    "minutes": 60.0,
    "hours": 3600.0,
    "weeks": 604800.0,
}


def _constructor_unit(name: str) -> float | None:
    """Seconds per argument unit of a duration constructor named ``name``, if it is one."""
    last = re.split(r"\.|::", name)[-1]
    lowered = last.lower()
    java = re.fullmatch(r"of(nanos|millis|seconds|minutes|hours|days)", lowered)
    if java:
        return {
            "nanos": 1e-9,
            "millis": 1e-3,
            "seconds": 1.0,
            "minutes": 60.0,
            "hours": 3600.0,
            "days": 86400.0,
        }[java.group(1)]
    rust = re.fullmatch(r"from_(nanos|micros|millis|secs|secs_f64|secs_f32|mins|hours|days)", lowered)
    if rust:
        return {
            "nanos": 1e-9,
            "micros": 1e-6,
            "millis": 1e-3,
            "mins": 60.0,
            "hours": 3600.0,
            "days": 86400.0,
        }.get(rust.group(1), 1.0)
    csharp = re.fullmatch(r"from(ticks|microseconds|milliseconds|seconds|minutes|hours|days)", lowered)
    if csharp:
        return {
            "ticks": 1e-7,
            "microseconds": 1e-6,
            "milliseconds": 1e-3,
            "seconds": 1.0,
            "minutes": 60.0,
            "hours": 3600.0,
            "days": 86400.0,
        }[csharp.group(1)]
    timeunit = re.fullmatch(
        r"(?:\w+\.)*(?:TimeUnit\.)?(\w+)\.to(?:Nanos|Micros|Millis|Seconds|Minutes|Hours|Days)", name
    )
    if timeunit and timeunit.group(1) in _ENUM_UNITS:
        return _ENUM_UNITS[timeunit.group(1)]
    chrono = re.fullmatch(r"(?:std::)?(?:chrono::)?(nanoseconds|microseconds|milliseconds|seconds|minutes|hours)", name)
    if chrono and ("chrono" in name or name == last):
        return _KOTLIN_UNIT_MEMBERS[chrono.group(1)]
    if re.fullmatch(r"Duration\.(?:seconds|milliseconds|minutes|hours)", name):
        return _KOTLIN_UNIT_MEMBERS[last]
    return None


class _ExprParser:
    """Recursive descent over ``+ - * /``, calls, member units and literals."""

    def __init__(self, text: str, bare_unit: str) -> None:
        self.tokens = self._tokenize(text)
        self.position = 0
        self.bare_unit = bare_unit

    @staticmethod
    def _tokenize(text: str) -> list[tuple[str, str, str]]:
        tokens = []
        position = 0
        text = text.strip().rstrip(";")
        while position < len(text):
            match = _TOKEN.match(text, position)
            if not match or match.end() == position:
                if text[position:].strip() == "":
                    break
                raise _NotADurationError
            kind = match.lastgroup if match.lastgroup != "suffix" else "num"
            if match.group("num") is not None:
                tokens.append(("num", match.group("num"), match.group("suffix") or ""))
            elif kind is not None:
                tokens.append((kind, match.group(kind), ""))
            position = match.end()
        return tokens

    def parse(self) -> _Quantity | None:
        if not self.tokens:
            return None
        value = self._sum()
        if self.position != len(self.tokens):
            raise _NotADurationError
        return value

    def _peek(self) -> tuple[str, str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self, op: str) -> bool:
        token = self._peek()
        if token and token[0] == "op" and token[1] == op:
            self.position += 1
            return True
        return False

    def _sum(self) -> _Quantity:
        value = self._product()
        while True:
            if self._take("+"):
                value = _combine_sum(value, self._product(), 1)
            elif self._take("-"):
                value = _combine_sum(value, self._product(), -1)
            else:
                return value

    def _product(self) -> _Quantity:
        value = self._unary()
        while True:
            if self._take("*"):
                value = _combine_product(value, self._unary())
            elif self._take("/"):
                value = _combine_quotient(value, self._unary())
            else:
                return value

    def _unary(self) -> _Quantity:
        if self._take("-"):
            operand = self._unary()
            return _Quantity(-operand.value, operand.timed)
        self._take("+")
        return self._postfix(self._primary())

    def _postfix(self, value: _Quantity) -> _Quantity:
        while (head := self._peek()) and head[:2] == ("op", "."):
            self.position += 1
            token = self._peek()
            if not token or token[0] != "name":
                raise _NotADurationError
            self.position += 1
            member = token[1]
            if member in _KOTLIN_UNIT_MEMBERS and not value.timed:
                value = _Quantity(value.value * _KOTLIN_UNIT_MEMBERS[member], True)
            elif member == "toDuration" and self._take("("):
                unit_name = self._raw_until_close()
                factor = unit_constant_seconds(unit_name)
                if factor is None or value.timed:
                    raise _NotADurationError
                value = _Quantity(value.value * factor, True)
            elif re.fullmatch(r"to(Long|Int|Double|Float)", member):
                if self._take("("):
                    self._raw_until_close()
            else:
                raise _NotADurationError
        return value

    def _raw_until_close(self) -> str:
        parts = []
        while (token := self._peek()) is not None and token[:2] != ("op", ")"):
            parts.append(token[1])
            self.position += 1
        if not self._take(")"):
            raise _NotADurationError
        return "".join(parts)

    def _primary(self) -> _Quantity:
        token = self._peek()
        if token is None:
            raise _NotADurationError
        kind, text, suffix = token
        self.position += 1
        if kind == "num":
            return _number_literal(text, suffix)
        if kind == "str":
            return self._string_literal(text)
        if kind == "op" and text == "(":
            value = self._sum()
            if not self._take(")"):
                raise _NotADurationError
            return value
        if kind == "name":
            if self._take("("):
                return self._call(text)
            factor = unit_constant_seconds(text)
            if factor is not None:
                return _Quantity(factor, True)
        raise _NotADurationError

    def _string_literal(self, text: str) -> _Quantity:
        body = text[1:-1]
        bare = _read_bare(body.strip(), "s")
        if bare is not None:
            return _Quantity(bare, False)
        seconds = parse_duration(body, self.bare_unit)
        if seconds is None:
            raise _NotADurationError
        return _Quantity(seconds, True)

    def _arguments(self) -> list[tuple[str | None, _Quantity | str]]:
        """Arguments up to the closing parenthesis: (keyword or None, quantity or unit name)."""
        arguments: list[tuple[str | None, _Quantity | str]] = []
        if self._take(")"):
            return arguments
        while True:
            keyword = None
            token = self._peek()
            following = self.tokens[self.position + 1] if self.position + 1 < len(self.tokens) else None
            if token and token[0] == "name" and following and following[:2] == ("op", "="):
                keyword = token[1]
                self.position += 2
            token = self._peek()
            following = self.tokens[self.position + 1] if self.position + 1 < len(self.tokens) else None
            if (
                token
                and token[0] == "name"
                and unit_constant_seconds(token[1]) is not None
                and (following is None or (following[0] == "op" and following[1] in ",)"))
            ):
                self.position += 1
                arguments.append((keyword, token[1]))
            else:
                arguments.append((keyword, self._sum()))
            if self._take(")"):
                return arguments
            if not self._take(","):
                raise _NotADurationError

    def _call(self, name: str) -> _Quantity:
        arguments = self._arguments()
        handler = _call_handler(name)
        if handler is None:
            raise _NotADurationError
        return handler(arguments)


def _number_literal(text: str, suffix: str) -> _Quantity:
    number = float(text.replace("_", ""))
    if not suffix or suffix in _LITERAL_SUFFIXES:
        return _Quantity(number, False)
    factor = unit_seconds(suffix)
    if factor is None:
        raise _NotADurationError
    return _Quantity(number * factor, True)


def _quantities(arguments: list[tuple[str | None, _Quantity | str]]) -> list[_Quantity]:
    values = [value for _, value in arguments]
    if not all(isinstance(value, _Quantity) for value in values):
        raise _NotADurationError
    return values  # type: ignore[return-value]


def _call_handler(name: str) -> Callable[[list], _Quantity] | None:
    last = re.split(r"\.|::", name)[-1]
    if name in _PASSTHROUGH_CALLS or (last == "Duration" and name.startswith("time.")):
        return _passthrough
    if last in ("timedelta",):
        return _timedelta
    if last in ("max", "min") and name in ("max", "min", "Math.max", "Math.min"):
        return lambda arguments: _extreme(arguments, max if last == "max" else min)
    if name in ("ms",):
        return _passthrough_timed
    if name.endswith(("Duration.of", "Duration::of")):
        return _duration_of
    if name.endswith(("Duration::new", "Duration.new")):
        return _rust_duration_new
    factor = _constructor_unit(name)
    if factor is not None:
        return lambda arguments: _scaled(arguments, factor)
    return None


def _passthrough(arguments: list) -> _Quantity:
    values = _quantities(arguments)
    if len(values) != 1:
        raise _NotADurationError
    return values[0]


def _passthrough_timed(arguments: list) -> _Quantity:
    value = _passthrough(arguments)
    if not value.timed:
        raise _NotADurationError
    return value


def _scaled(arguments: list, factor: float) -> _Quantity:
    values = _quantities(arguments)
    if not values or values[0].timed:
        raise _NotADurationError
    return _Quantity(values[0].value * factor, True)


def _duration_of(arguments: list) -> _Quantity:
    if len(arguments) != 2 or not isinstance(arguments[1][1], str) or not isinstance(arguments[0][1], _Quantity):
        raise _NotADurationError
    return _Quantity(arguments[0][1].value * (unit_constant_seconds(arguments[1][1]) or 0.0), True)


def _rust_duration_new(arguments: list) -> _Quantity:
    values = _quantities(arguments)
    if len(values) != 2:
        raise _NotADurationError
    return _Quantity(values[0].value + values[1].value * 1e-9, True)


def _timedelta(arguments: list) -> _Quantity:
    total = 0.0
    for index, (keyword, value) in enumerate(arguments):
        if not isinstance(value, _Quantity) or value.timed:
            raise _NotADurationError
        unit = keyword if keyword is not None else (_TIMEDELTA_ORDER[index] if index < len(_TIMEDELTA_ORDER) else None)
        if unit not in _TIMEDELTA_UNITS:
            raise _NotADurationError
        total += value.value * _TIMEDELTA_UNITS[unit]
    return _Quantity(total, True)


def _extreme(arguments: list, pick: Callable) -> _Quantity:
    values = _quantities(arguments)
    if not values or len({value.timed for value in values}) != 1:
        raise _NotADurationError
    return _Quantity(pick(value.value for value in values), values[0].timed)


def _combine_product(left: _Quantity, right: _Quantity) -> _Quantity:
    if left.timed and right.timed:
        raise _NotADurationError
    return _Quantity(left.value * right.value, left.timed or right.timed)


def _combine_quotient(left: _Quantity, right: _Quantity) -> _Quantity:
    if right.value == 0 or (right.timed and not left.timed):
        raise _NotADurationError
    return _Quantity(left.value / right.value, left.timed and not right.timed)


def _combine_sum(left: _Quantity, right: _Quantity, sign: int) -> _Quantity:
    if left.timed != right.timed:
        raise _NotADurationError
    return _Quantity(left.value + sign * right.value, left.timed)
