"""O1-Coder Studio sandbox harness: what runs inside each program's process.

It runs the solution, its setup code and its tests, and reports on fd 3 as JSON lines carrying the job's nonce; it
decides nothing (Node does, from these reports). It also rewrites asserts so a value whose comparison methods were
written by the program cannot pass them, and encodes return values for call tests (see wire-value.ts).

Not a script of its own: forkserver-script.ts prepends it to forkserver.py, which prepares jobs with it in the
forkserver and calls run_job() in each forked child.
"""

import ast
import base64
import collections
import enum
import json
import math
import operator
import os
import reprlib
import sys
import time
import types

# Everything the harness relies on is bound here, before any program code runs, so a program that rebinds
# json.dumps or AssertionError does not change what is reported.

_dumps = json.dumps
_write = os.write
_lseek = os.lseek
_exit = os._exit
_clock = time.perf_counter
_type = type
_id = id
_isinstance = isinstance
_len = len
_str = str
_repr_limited = reprlib.Repr()
_repr_limited.maxstring = 160
_repr_limited.maxother = 160
_repr_limited.maxlist = _repr_limited.maxtuple = _repr_limited.maxset = _repr_limited.maxdict = 12
_type_mro = type.__dict__["__mro__"].__get__
_type_dict = type.__dict__["__dict__"].__get__
_type_qualname = type.__dict__["__qualname__"].__get__
_BaseException = BaseException
_AssertionError = AssertionError
_SystemExit = SystemExit

# A value can lie to an assert only through comparison, hashing, truth or length methods. A value is honest when
# every type in it uses implementations we trust, taken here before any program ran: those of the built-in scalars
# and containers (whose contents are checked in turn), of objects that keep object's identity comparison, and of a
# few standard-library classes (a program that patches Counter.__eq__ no longer matches). C types beyond those are
# trusted only when they hold no arbitrary objects (Decimal, datetime): a C type such as SimpleNamespace or slice
# compares the objects it holds, so it is not.
WATCHED_METHODS = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__bool__", "__len__",
                   "__contains__")
_DICT_VIEWS = (type({}.keys()), type({}.values()), type({}.items()))
TRUSTED_CLASSES = (object, type, int, float, complex, bool, str, bytes, bytearray, type(None), range, list, tuple,
                   dict, set, frozenset, collections.deque, collections.OrderedDict, collections.defaultdict,
                   collections.Counter, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
                   types.GeneratorType, enum.Enum, enum.Flag, enum.IntEnum, enum.IntFlag, enum.ReprEnum) + _DICT_VIEWS
_TRUSTED_IMPLEMENTATIONS = [cls.__dict__[name] for cls in TRUSTED_CLASSES for name in WATCHED_METHODS
                            if name in cls.__dict__]
_TRUSTED_IMPLEMENTATION_IDS = frozenset(_id(impl) for impl in _TRUSTED_IMPLEMENTATIONS)
# C types (immutable: a program cannot define one) whose values hold no other objects, named by module and name.
LEAF_C_TYPES = frozenset([("decimal", "Decimal"), ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"),
                          ("datetime", "timedelta"), ("datetime", "timezone"), ("builtins", "memoryview")])
_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE
_type_flags = type.__dict__["__flags__"].__get__
_type_module = type.__dict__["__module__"].__get__
_SCALAR_TYPE_IDS = frozenset(_id(t) for t in (int, float, complex, bool, str, bytes, type(None)))
# Contents are read through the base type's own iterator, never a subclass's (which could hide elements).
_CONTAINER_ITERATORS = ((list, list.__iter__), (tuple, tuple.__iter__), (set, set.__iter__),
                        (frozenset, frozenset.__iter__), (collections.deque, collections.deque.__iter__)) + tuple(
    (view, view.__iter__) for view in _DICT_VIEWS)
VERIFY_BUDGET = 2_000_000


def untrusted_type_in(value):
    """Name of the first type inside `value` that defines its own comparison/truth methods, else None."""
    stack, seen, budget, checked_types = [value], set(), VERIFY_BUDGET, {}
    while stack:
        item = stack.pop()
        item_type = _type(item)
        type_id = _id(item_type)
        if type_id in _SCALAR_TYPE_IDS:
            continue
        budget -= 1
        if budget < 0:
            return "(a value too large to verify)"
        trusted = checked_types.get(type_id)
        if trusted is None:
            trusted = checked_types[type_id] = type_is_trusted(item_type)
        if not trusted:
            return _type_qualname(item_type)
        if _id(item) not in seen:
            children = container_children(item, item_type)
            if children:
                seen.add(_id(item))
                stack.extend(children)
    return None


def type_is_trusted(item_type):
    mro = _type_mro(item_type)
    for name in WATCHED_METHODS:
        for klass in mro:
            namespace = _type_dict(klass)
            if name in namespace:
                if _id(namespace[name]) not in _TRUSTED_IMPLEMENTATION_IDS and not is_leaf_c_type(klass):
                    return False
                break
    return True


def is_leaf_c_type(klass):
    if not _type_flags(klass) & _IMMUTABLE_TYPE:
        return False
    module = _type_module(klass)
    return (module.lstrip("_"), _type_qualname(klass)) in LEAF_C_TYPES if _type(module) is str else False


def mro_contains(mro, wanted):
    for klass in mro:  # identity only: `in` would call a metaclass's __eq__
        if klass is wanted:
            return True
    return False


def container_children(item, item_type):
    mro = _type_mro(item_type)
    if mro_contains(mro, dict):
        return [x for pair in dict.items(item) for x in pair]
    for base, iterate in _CONTAINER_ITERATORS:
        if mro_contains(mro, base):
            return list(iterate(item))
    return None


def safe_repr(value):
    try:  # an honest value may still hold objects with a __repr__ of the program's
        return _repr_limited.repr(value)
    except _BaseException:
        return "<%s: repr failed>" % _type_qualname(_type(value))


class AssertState:
    def __init__(self):
        self.detail = None


_COMPARE = {"Eq": operator.eq, "NotEq": operator.ne, "Lt": operator.lt, "LtE": operator.le, "Gt": operator.gt,
            "GtE": operator.ge, "In": lambda a, b: a in b, "NotIn": lambda a, b: a not in b}
_OP_TEXT = {"Eq": "==", "NotEq": "!=", "Lt": "<", "LtE": "<=", "Gt": ">", "GtE": ">=", "In": "in", "NotIn": "not in"}


def make_assert_helpers(state):
    def compare(op, left, right):
        if op == "Is":
            return left is right
        if op == "IsNot":
            return left is not right
        for side in (left, right):
            bad = untrusted_type_in(side)
            if bad is not None:
                raise _AssertionError(
                    "the assert compared a value of type %r, which defines its own comparison methods; tests only "
                    "accept built-in values (int, str, list, dict, ...) or objects that keep the default ones" % bad)
        result = _COMPARE[op](left, right)
        if _type(result) is not bool:
            result = bool(result)
        if not result:
            state.detail = "left:  %s\n  right: %s  (%s)" % (safe_repr(left), safe_repr(right), _OP_TEXT[op])
        return result

    def truth(value):
        bad = untrusted_type_in(value)
        if bad is not None:
            raise _AssertionError(
                "the assert tested the truth of a value of type %r, which defines its own __bool__/__len__/__eq__; "
                "tests only accept built-in values" % bad)
        return bool(value)

    return compare, truth


class AssertRewriter(ast.NodeTransformer):
    """`assert a == b` -> `assert <compare>('Eq', a, b)` (likewise truth tests), so results are checked for honest
    types before Python's operators are trusted with them. Chained comparisons are left as they are."""

    def __init__(self, compare_name, truth_name):
        self.compare_name = compare_name
        self.truth_name = truth_name

    def visit_Assert(self, node):
        self.generic_visit(node)
        node.test = self.wrap(node.test)
        return node

    def wrap(self, expr):
        if _isinstance(expr, ast.UnaryOp) and _isinstance(expr.op, ast.Not):
            return ast.copy_location(ast.UnaryOp(ast.Not(), self.wrap(expr.operand)), expr)
        if _isinstance(expr, ast.BoolOp):
            return ast.copy_location(ast.BoolOp(expr.op, [self.wrap(v) for v in expr.values]), expr)
        if _isinstance(expr, ast.Compare) and _len(expr.ops) == 1:
            op = _type(expr.ops[0]).__name__
            return self.call(self.compare_name, [ast.Constant(op), expr.left, expr.comparators[0]], expr)
        if _isinstance(expr, ast.Compare):
            return expr
        return self.call(self.truth_name, [expr], expr)

    @staticmethod
    def call(name, args, at):
        return ast.copy_location(ast.Call(ast.Name(name, ast.Load()), args, []), at)


# Names the rewritten asserts call, random per worker so no program defines them by accident.
_HELPER_SUFFIX = os.urandom(6).hex()
COMPARE_NAME = "_o1c_compare_" + _HELPER_SUFFIX
TRUTH_NAME = "_o1c_truth_" + _HELPER_SUFFIX
ASSERT_REWRITER = AssertRewriter(COMPARE_NAME, TRUTH_NAME)


def compile_test(source, filename, rewriter):
    tree = ast.parse(source, filename, "exec")
    tree = ast.fix_missing_locations(rewriter.visit(tree))
    return compile(tree, filename, "exec", dont_inherit=True)


# --- wire values: JSON plus a few tags, so tuples, sets, NaN, complex and big ints survive the trip to Node -------

_FLOAT_TAGS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def decode_wire(value):
    kind = type(value)
    if kind is list:
        return [decode_wire(v) for v in value]
    if kind is not dict:
        return value
    if len(value) == 1:
        (key, inner), = value.items()
        if key == "$tuple":
            return tuple(decode_wire(v) for v in inner)
        if key == "$set":
            return {decode_wire(v) for v in inner}
        if key == "$frozenset":
            return frozenset(decode_wire(v) for v in inner)
        if key == "$dict":
            return {decode_wire(k): decode_wire(v) for k, v in inner}
        if key == "$float":
            return _FLOAT_TAGS[inner]
        if key == "$complex":
            return complex(decode_wire(inner[0]), decode_wire(inner[1]))
        if key == "$bytes":
            return base64.b64decode(inner)
    return {k: decode_wire(v) for k, v in value.items()}


def encode_wire(value, depth=0):
    if depth > 200:
        return opaque(value, "nested too deeply")
    kind = _type(value)
    if value is None or kind is bool or kind is str or kind is int:
        return value
    if kind is float:
        if math.isfinite(value):
            return value
        return {"$float": "nan" if value != value else ("inf" if value > 0 else "-inf")}
    if kind is list:
        return [encode_wire(v, depth + 1) for v in value]
    if kind is tuple:
        return {"$tuple": [encode_wire(v, depth + 1) for v in value]}
    if kind is dict:
        return encode_dict(value, depth)
    if kind is set or kind is frozenset:
        items = sorted((encode_wire(v, depth + 1) for v in value), key=lambda v: _dumps(v, sort_keys=True))
        return {"$set" if kind is set else "$frozenset": items}
    if kind is complex:
        return {"$complex": [encode_wire(value.real), encode_wire(value.imag)]}
    if kind is bytes or kind is bytearray:
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    # Subclasses that keep the base type's comparisons equal their base value in Python (a namedtuple == a tuple,
    # an IntEnum member == an int, a Counter == a dict), so they travel as that value.
    if type_is_trusted(kind):
        mro = _type_mro(kind)
        for base, convert in _BASE_CONVERSIONS:
            if mro_contains(mro, base):
                return encode_wire(convert(value), depth)
    return opaque(value, None)


def encode_dict(value, depth):
    if all(_type(k) is str and not k.startswith("$") for k in value):
        return {k: encode_wire(v, depth + 1) for k, v in value.items()}
    return {"$dict": [[encode_wire(k, depth + 1), encode_wire(v, depth + 1)] for k, v in value.items()]}


_BASE_CONVERSIONS = ((int, int.__int__), (float, float.__float__), (str, lambda s: str.__getitem__(s, slice(None))),
                     (tuple, lambda t: tuple(tuple.__iter__(t))), (list, lambda l: list(list.__iter__(l))),
                     (dict, lambda d: dict(dict.items(d))), (frozenset, lambda s: frozenset(frozenset.__iter__(s))),
                     (set, lambda s: set(set.__iter__(s))))


def opaque(value, note):
    described = {"type": _type_qualname(_type(value)), "repr": safe_repr(value)}
    if note:
        described["note"] = note
    return {"$opaque": described}


def wire_json(value):
    try:
        return _dumps(encode_wire(value), allow_nan=False, separators=(",", ":"))
    except ValueError as error:  # e.g. an int beyond sys.get_int_max_str_digits()
        return _dumps({"$opaque": {"type": _type_qualname(_type(value)), "repr": "", "note": _str(error)[:200]}})


# --- the harness proper ----------------------------------------------------------------------------------------


class Reporter:
    """Writes frames to fd 3. A test's result is held back and written together with the next frame (the next
    test's start, or the end), halving the writes and the forkserver's wake-ups; no program code runs in between."""

    def __init__(self, nonce, stdout, stderr):
        self.head = '{"n":"%s","e":"' % nonce  # the nonce is hex, chosen by Node
        self.stdout = stdout
        self.stderr = stderr
        self.held = ""
        self.started = 0.0

    def took(self):
        """Milliseconds since the phase started, measured in here (the forkserver sees frames only in batches)."""
        return ',"d":%.3f' % ((_clock() - self.started) * 1000.0)

    def flush_output(self):
        for stream in (self.stdout, self.stderr):
            try:
                stream.flush()
            except _BaseException:
                pass

    def frame(self, event, fields=""):
        return "%s%s\"%s}\n" % (self.head, event, fields)

    def hold(self, event, fields=""):
        self.held += self.frame(event, fields)

    def send(self, event, fields=""):
        self.flush_output()
        if event == "start":  # where this test's output begins in the stdout/stderr files
            fields += ',"o":[%s,%s]' % (output_position(1), output_position(2))
        data = (self.held + self.frame(event, fields)).encode("ascii")
        self.held = ""
        view = memoryview(data)
        while view:
            view = view[_write(3, view):]


def json_fields(**fields):
    return "," + _dumps(fields, ensure_ascii=True, separators=(",", ":"))[1:-1]


def output_position(fd):
    try:
        return _lseek(fd, 0, 1)  # SEEK_CUR
    except OSError:  # the program replaced its stdout with something unseekable
        return "null"


def describe_exception(error, sources):
    kind = _type(error)
    name = kind.__name__ if kind.__module__ in ("builtins", "__main__") else "%s.%s" % (kind.__module__, kind.__name__)
    try:
        message = _str(error)
    except _BaseException:
        message = "<str() of the exception failed>"
    described = {"type": name, "message": message[:2000]}
    where = innermost_location(error, sources)
    if where:
        described["where"] = where
    return described


def innermost_location(error, sources):
    """'solution line 3: return x[9]' for the innermost frame in code we were given."""
    found = None
    if _isinstance(error, SyntaxError) and error.filename in sources and error.lineno:
        found = (error.filename, error.lineno)
    tb = error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in sources:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    if found is None:
        return None
    filename, line = found
    return "%s line %d: %s" % (filename.strip("<>"), line, source_line(sources, filename, line)[:300])


def failed_assert_message(error, sources, state):
    explicit = ""
    try:
        explicit = _str(error)
    except _BaseException:
        pass
    where = innermost_location(error, sources) or ""
    statement = where.split(": ", 1)[1] if ": " in where else ""
    message = explicit or statement or "assertion failed"
    if explicit and statement:
        message = "%s  (%s)" % (statement, explicit)
    if state.detail:
        message += "\n  " + state.detail
    return message[:4000]


def install_process_state(prepared):
    """The prepared __main__ and streams become the program's (pickle and `import __main__` then find its own
    definitions, not the forkserver's)."""
    sys.modules["__main__"] = prepared.module
    stdin, stdout, stderr = prepared.streams
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = stdin, stdout, stderr
    return prepared.module.__dict__


def run_job(prepared):
    namespace = install_process_state(prepared)
    reporter = Reporter(prepared.nonce, prepared.streams[1], prepared.streams[2])
    try:
        if prepared.kind == "tests":
            run_tests_job(prepared, namespace, reporter)
        elif prepared.kind == "stdio":
            run_stdio_job(prepared, namespace, reporter)
        elif prepared.kind == "compile":  # only sources too large to compile in the forkserver get here
            run_compile_job(prepared, reporter)
        reporter.send("end")
    except _BaseException:
        _exit(1)
    _exit(0)


def run_compile_job(prepared, reporter):
    try:
        compile(prepared.job["code"], "<solution>", "exec", dont_inherit=True)
        fields = {"ok": True}
    except SyntaxError as error:
        fields = {"ok": False, "type": _type(error).__name__, "message": _str(error.msg), "line": error.lineno,
                  "column": error.offset}
    except _BaseException as error:
        fields = {"ok": False, "type": _type(error).__name__, "message": _str(error)[:2000]}
    reporter.hold("compiled", json_fields(**fields))


def load(code, filename):
    """The prepared code object; or the exception its compilation raised; or compile it now (large sources)."""
    if _isinstance(code, _BaseException):
        raise code
    if _type(code) is str:
        return compile(code, filename, "exec", dont_inherit=True)
    return code


def run_tests_job(prepared, namespace, reporter):
    state = AssertState()
    compare, truth = make_assert_helpers(state)
    sources = prepared.sources
    if not run_setup(prepared, namespace, reporter):
        return
    entry_point = prepared.job.get("entryPoint")
    for index, kind, prepared_test in prepared.tests[prepared.job["start"]:]:
        reporter.send("start", ',"t":%d' % index)
        state.detail = None
        reporter.started = _clock()
        try:
            if _isinstance(prepared_test, _BaseException):
                raise prepared_test
            if kind == "assert":
                if _type(prepared_test) is str:
                    prepared_test = compile_test(prepared_test, "<test %d>" % index, ASSERT_REWRITER)
                namespace[COMPARE_NAME] = compare
                namespace[TRUTH_NAME] = truth
                exec(prepared_test, namespace)
                reporter.hold("pass", ',"t":%d%s' % (index, reporter.took()))
            else:
                function = namespace.get(entry_point) if entry_point else None
                if function is None:
                    raise NameError("entry point %r is not defined by the solution" % (entry_point,))
                value = function(*prepared_test)
                reporter.hold("value", json_fields(t=index, v=wire_json(value)) + reporter.took())
        except _AssertionError as error:
            reporter.hold("fail", json_fields(t=index, message=failed_assert_message(error, sources, state)) + reporter.took())
        except _BaseException as error:
            reporter.hold("error", json_fields(t=index, **describe_exception(error, sources)) + reporter.took())


def run_setup(prepared, namespace, reporter):
    reporter.started = _clock()
    try:
        exec(load(prepared.solution, "<solution>"), namespace)
        if prepared.setup is not None:
            exec(load(prepared.setup, "<setup>"), namespace)
    except _BaseException as error:
        print_traceback(error, prepared.sources, reporter.stderr)
        reporter.send("setup-error", json_fields(**describe_exception(error, prepared.sources)) + reporter.took())
        return False
    reporter.hold("setup-ok", reporter.took())
    return True


def run_stdio_job(prepared, namespace, reporter):
    index = prepared.job["index"]
    reporter.send("start", ',"t":%d' % index)
    reporter.started = _clock()
    code = 0
    try:
        exec(load(prepared.solution, "<solution>"), namespace)
    except _SystemExit as exit_request:
        code = exit_code_of(exit_request, reporter.stderr)
    except _BaseException as error:
        print_traceback(error, prepared.sources, reporter.stderr)
        reporter.hold("error", json_fields(t=index, **describe_exception(error, prepared.sources)) + reporter.took())
        return
    reporter.hold("exit", ',"t":%d,"code":%d%s' % (index, code, reporter.took()))


def print_traceback(error, sources, stderr):
    """What the interpreter would print, limited to the program's own frames (the harness's are noise), and without
    the traceback module, which is not worth preloading. Written to the harness's own stderr stream, whatever the
    program did to sys.stderr."""
    try:
        lines = ["Traceback (most recent call last):\n"]
        tb = error.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code
            if code.co_filename in sources:
                lines.append('  File "%s", line %d, in %s\n' % (code.co_filename, tb.tb_lineno, code.co_name))
                text = source_line(sources, code.co_filename, tb.tb_lineno)
                if text:
                    lines.append("    %s\n" % text)
            tb = tb.tb_next
        if _isinstance(error, SyntaxError) and error.lineno:
            lines.append('  File "%s", line %s\n    %s\n' % (error.filename, error.lineno, (error.text or "").strip()))
        name = _type(error).__name__
        message = _str(error) if not _isinstance(error, SyntaxError) else _str(error.msg)
        lines.append("%s: %s\n" % (name, message) if message else "%s\n" % name)
        stderr.write("".join(lines))
    except _BaseException:
        pass


def source_line(sources, filename, line):
    lines = sources[filename].splitlines()
    return lines[line - 1].strip() if 0 < line <= _len(lines) else ""


def exit_code_of(exit_request, stderr):
    code = exit_request.code
    if code is None:
        return 0
    if _type(code) is int:
        return code & 0xFF  # what the process's exit status would have been
    try:  # like the interpreter: a non-integer exit argument is printed and means status 1
        stderr.write(_str(code) + "\n")
    except _BaseException:
        pass
    return 1
