"""O1-Coder Studio sandbox harness: what runs inside each program's process.

It runs the solution, its setup code and its tests, and reports on fd 3 as JSON lines of data: the values call
tests returned, and for assert tests the calls the test made into the solution with their arguments and return
values (wire-value.ts encoding). It decides nothing and holds nothing that could decide anything: Node compares
call-test values, and judge.py replays assert tests from the recorded calls in a process that runs no program code.

Not a script of its own: forkserver-script.ts puts it before judge.py and forkserver.py; the forkserver prepares
jobs with it and calls run_job() in each forked child; the judge uses its wire-value encoding.
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



def _not_serializable(value):
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


def json_encoder(allow_nan=True, sort_keys=False, separators=(",", ":")):
    """json.dumps(value, ensure_ascii=True, ...) with its encoder built once, here. json.dumps builds a JSONEncoder
    and a C encoder on every call: in a freshly forked program process that alone costs ~40 copy-on-write page
    faults (the pages of json's Python code and objects), more than the rest of a small test's reporting. Values
    given to it are trees the harness built (no cycles), so the circular-reference check is left out."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the _json accelerator: the same output, slower
        return json.JSONEncoder(allow_nan=allow_nan, sort_keys=sort_keys, separators=separators).encode
    encoder = make(None, _not_serializable, json.encoder.encode_basestring_ascii, None, separators[1], separators[0],
                   sort_keys, False, allow_nan)
    join = "".join
    return lambda value: join(encoder(value, 0))


_dumps = json_encoder()  # json.dumps(value, separators=(",", ":"))
_dumps_finite = json_encoder(allow_nan=False)  # ... and allow_nan=False
_dumps_sort_key = json_encoder(sort_keys=True, separators=(", ", ": "))  # json.dumps(value, sort_keys=True)
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

# Which types keep the comparisons of a built-in base (a namedtuple, an IntEnum member, a Counter): those travel as
# the base value (see encode_wire). A type is trusted when every comparison, hashing, truth and length method it
# resolves is one of the implementations recorded here, before any program ran.
WATCHED_METHODS = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__bool__", "__len__",
                   "__contains__")
_DICT_VIEWS = (type({}.keys()), type({}.values()), type({}.items()))
TRUSTED_CLASSES = (object, int, float, complex, bool, str, bytes, bytearray, list, tuple, dict, set, frozenset,
                   collections.OrderedDict, collections.defaultdict, collections.Counter, enum.Enum, enum.Flag,
                   enum.IntEnum, enum.IntFlag, enum.ReprEnum)
_TRUSTED_IMPLEMENTATION_IDS = frozenset(_id(cls.__dict__[name]) for cls in TRUSTED_CLASSES for name in WATCHED_METHODS
                                        if name in cls.__dict__)


def type_is_trusted(item_type):
    mro = _type_mro(item_type)
    for name in WATCHED_METHODS:
        for klass in mro:
            namespace = _type_dict(klass)
            if name in namespace:
                if _id(namespace[name]) not in _TRUSTED_IMPLEMENTATION_IDS:
                    return False
                break
    return True


def mro_contains(mro, wanted):
    for klass in mro:  # identity only: `in` would call a metaclass's __eq__
        if klass is wanted:
            return True
    return False


def safe_repr(value):
    try:  # the program's objects may have a __repr__ of their own: it runs here, in the program's process
        return _repr_limited.repr(value)
    except _BaseException:
        return "<%s: repr failed>" % _type_qualname(_type(value))


class Opaque:
    """In the judge: a value of the program's that is not a built-in value (a class instance, a function). It has
    the identity comparison of `object`, so it equals nothing but itself (the same `ref` decodes to the same
    Opaque within a job, so `f() is SHARED` still holds)."""

    __slots__ = ("type_name", "text", "ref", "honest")

    def __init__(self, type_name, text, ref, honest):
        self.type_name = type_name
        self.text = text
        self.ref = ref
        self.honest = honest  # its type kept object's truth (no __bool__/__len__ of its own): then it is true

    def __repr__(self):
        return self.text

    def __bool__(self):
        if not self.honest:
            raise _AssertionError("the truth of a value of type %r, which defines its own comparison or truth "
                                  "methods, cannot be judged: tests only accept built-in values" % self.type_name)
        return True


class OpaqueRefs:
    """Numbers the program's opaque objects within a job (and keeps them alive, so an id is never reused)."""

    def __init__(self):
        self.by_id = {}

    def describe(self, value):
        known = self.by_id.get(_id(value))
        if known is None:
            known = self.by_id[_id(value)] = (value, {"type": _type_qualname(_type(value)), "repr": safe_repr(value),
                                                      "ref": _len(self.by_id) + 1,
                                                      "honest": type_is_trusted(_type(value))})
        return known[1]


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


def decode_recorded(value, opaques):
    """decode_wire, plus $opaque values (with their ref) as Opaque objects, one per ref."""
    kind = type(value)
    if kind is dict and len(value) == 1 and "$opaque" in value:
        described = value["$opaque"]
        ref = described.get("ref") if type(described) is dict else None
        found = opaques.get(ref) if ref is not None else None
        if found is None:
            found = Opaque(str(described.get("type", "?")), str(described.get("repr", "?")), ref,
                           described.get("honest") is True)
            if ref is not None:
                opaques[ref] = found
        return found
    if kind is list:
        return [decode_recorded(v, opaques) for v in value]
    if kind is not dict:
        return value
    if len(value) == 1:
        (key, inner), = value.items()
        if key == "$tuple":
            return tuple(decode_recorded(v, opaques) for v in inner)
        if key == "$set":
            return {decode_recorded(v, opaques) for v in inner}
        if key == "$frozenset":
            return frozenset(decode_recorded(v, opaques) for v in inner)
        if key == "$dict":
            return {decode_recorded(k, opaques): decode_recorded(v, opaques) for k, v in inner}
    if len(value) == 1 and next(iter(value)) in ("$float", "$complex", "$bytes"):
        return decode_wire(value)
    return {k: decode_recorded(v, opaques) for k, v in value.items()}


def encode_wire(value, depth=0, refs=None, key=False):
    """The wire form of `value`. Opaque values: {"type", "repr"}; with `refs`, also a ref number (recorded values);
    with `key`, the type only (what a call's arguments are matched on: both sides must agree on it)."""
    if depth > 200:
        return opaque(value, "nested too deeply", refs, key)
    kind = _type(value)
    if value is None or kind is bool or kind is str or kind is int:
        return value
    if kind is float:
        if math.isfinite(value):
            return value
        return {"$float": "nan" if value != value else ("inf" if value > 0 else "-inf")}
    if kind is list:
        return [encode_wire(v, depth + 1, refs, key) for v in value]
    if kind is tuple:
        return {"$tuple": [encode_wire(v, depth + 1, refs, key) for v in value]}
    if kind is dict:
        return encode_dict(value, depth, refs, key)
    if kind is set or kind is frozenset:
        items = sorted((encode_wire(v, depth + 1, refs, key) for v in value), key=_dumps_sort_key)
        return {"$set" if kind is set else "$frozenset": items}
    if kind is complex:
        return {"$complex": [encode_wire(value.real), encode_wire(value.imag)]}
    if kind is bytes or kind is bytearray:
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if kind is Opaque:  # only in the judge: a value that came from the program as opaque goes back as it came
        if key:
            return {"$opaque": {"type": value.type_name}}
        return {"$opaque": {"type": value.type_name, "repr": value.text, "ref": value.ref, "honest": value.honest}}
    # Subclasses that keep the base type's comparisons equal their base value in Python (a namedtuple == a tuple,
    # an IntEnum member == an int, a Counter == a dict), so they travel as that value.
    if type_is_trusted(kind):
        mro = _type_mro(kind)
        for base, convert in _BASE_CONVERSIONS:
            if mro_contains(mro, base):
                return encode_wire(convert(value), depth, refs, key)
    return opaque(value, None, refs, key)


def encode_dict(value, depth, refs=None, key=False):
    if all(_type(k) is str and not k.startswith("$") for k in value):
        return {k: encode_wire(v, depth + 1, refs, key) for k, v in value.items()}
    return {"$dict": [[encode_wire(k, depth + 1, refs, key), encode_wire(v, depth + 1, refs, key)]
                      for k, v in value.items()]}


_BASE_CONVERSIONS = ((int, int.__int__), (float, float.__float__), (str, lambda s: str.__getitem__(s, slice(None))),
                     (tuple, lambda t: tuple(tuple.__iter__(t))), (list, lambda l: list(list.__iter__(l))),
                     (dict, lambda d: dict(dict.items(d))), (frozenset, lambda s: frozenset(frozenset.__iter__(s))),
                     (set, lambda s: set(set.__iter__(s))))


def opaque(value, note, refs=None, key=False):
    if key:
        return {"$opaque": {"type": _type_qualname(_type(value))}}
    described = dict(refs.describe(value)) if refs is not None else {"type": _type_qualname(_type(value)),
                                                                      "repr": safe_repr(value)}
    if note:
        described["note"] = note
    return {"$opaque": described}


def wire_json(value, refs=None, key=False):
    try:
        return _dumps_finite(encode_wire(value, 0, refs, key))
    except ValueError as error:  # e.g. an int beyond sys.get_int_max_str_digits()
        return _dumps({"$opaque": {"type": _type_qualname(_type(value)), "repr": "", "note": _str(error)[:200]}})


def call_key(args, kwargs):
    """What a call is matched on between the program's run of a test and the judge's replay of it."""
    return wire_json([list(args), kwargs] if kwargs else list(args), None, True)


# --- the harness proper ----------------------------------------------------------------------------------------


class Reporter:
    """Writes frames to fd 3. Frames are data (values, records of calls, output positions), never verdicts: the
    program can write to fd 3 too, and anything it writes there could only claim values it could also have
    returned. Frames are held back and written together with the next start (or the end), halving the writes and
    the forkserver's wake-ups."""

    HOLD_LIMIT = 1 << 16

    def __init__(self, stdout, stderr):
        self.head = '{"e":"'
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
        if _len(self.held) > self.HOLD_LIMIT:
            self.write(self.held)
            self.held = ""

    def write(self, text):
        view = memoryview(text.encode("ascii"))
        while view:
            view = view[_write(3, view):]

    def send(self, event, fields=""):
        self.flush_output()
        if event == "start":  # where this test's output begins in the stdout/stderr files
            fields += ',"o":[%s,%s]' % (output_position(1), output_position(2))
        data = self.held + self.frame(event, fields)
        self.held = ""
        self.write(data)


def json_fields(**fields):
    return "," + _dumps(fields)[1:-1]


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
    reporter = Reporter(prepared.streams[1], prepared.streams[2])
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
    """Runs the solution (and setup code), then each test: a call test calls the entry point and reports the value;
    an assert test runs its driver (the test with every assert reduced to the expressions that reach the solution,
    see judge.py) with the solution's names replaced by recorders. Nothing here compares anything: the judge
    replays the recorded calls in a process of its own."""
    sources = prepared.sources
    if not run_setup(prepared, namespace, reporter):
        return
    entry_point = prepared.job.get("entryPoint")
    refs = OpaqueRefs()
    driver_globals = None
    recorder = None
    for index, kind, prepared_test in prepared.tests[prepared.job["start"]:]:
        if kind == "assert" and driver_globals is None:
            recorder = CallRecorder(reporter, refs, sources)
            driver_globals = driver_namespace(namespace, prepared.job.get("names") or (), recorder, refs, reporter)
        reporter.send("start", ',"t":%d' % index)
        reporter.started = _clock()
        try:
            if _isinstance(prepared_test, _BaseException):
                raise prepared_test
            if kind == "assert":
                code, seeds_random = prepared_test
                if _type(code) is str:
                    code = compile(code, "<test %d>" % index, "exec", dont_inherit=True)
                recorder.begin(index, seeds_random)
                exec(code, driver_globals)
                reporter.hold("done", ',"t":%d%s' % (index, reporter.took()))
            else:
                function = namespace.get(entry_point) if entry_point else None
                if function is None:
                    raise NameError("entry point %r is not defined by the solution" % (entry_point,))
                value = function(*prepared_test)
                reporter.hold("value", json_fields(t=index, v=wire_json(value)) + reporter.took())
        except _BaseException as error:
            event = "raised" if kind == "assert" else "error"
            reporter.hold(event, json_fields(t=index, **describe_exception(error, sources)) + reporter.took())


def driver_namespace(namespace, names, recorder, refs, reporter):
    """The globals the drivers run in: the solution's, with every name a test uses that the solution (or setup)
    defined replaced by a recorder if it is callable. The solution's own functions keep their own globals, so
    their internal calls (recursion) are not recorded. The bindings are reported for the judge: callables become
    replay stubs there, modules are imported by name, everything else is a recorded value."""
    bindings = {}
    driver_globals = dict(namespace)
    for name in names:
        if name not in namespace:
            continue
        value = namespace[name]
        if _isinstance(value, types.ModuleType):
            bindings[name] = {"module": _str(getattr(value, "__name__", name))}
        elif callable(value):
            bindings[name] = {"call": 1}
            driver_globals[name] = recorder.wrap(name, value)
        else:
            bindings[name] = {"v": wire_json(value, refs)}
    reporter.hold("bindings", json_fields(b=bindings))
    return driver_globals


class CallRecorder:
    def __init__(self, reporter, refs, sources):
        self.reporter = reporter
        self.refs = refs
        self.sources = sources
        self.test = None
        self.random_state = None

    def begin(self, index, seeds_random):
        """Tests that use `random` get the same seeded stream here and in the judge; the solution's own use of
        random does not move the test's stream (the state is put back after every call)."""
        self.test = index
        self.random_state = None
        if seeds_random:
            import random
            random.seed(0)
            self.random_state = random

    def wrap(self, name, function):
        record = self.record

        def recorder(*args, **kwargs):
            return record(name, function, args, kwargs)

        return recorder

    def record(self, name, function, args, kwargs):
        before = call_key(args, kwargs)
        fields = {"t": self.test, "name": name, "args": before}
        saved = self.random_state.getstate() if self.random_state is not None else None
        try:
            value = function(*args, **kwargs)
        except _BaseException as error:
            fields["raise"] = describe_exception(error, self.sources)
            self.finish(fields, before, args, kwargs, saved)
            raise
        fields["v"] = wire_json(value, self.refs)
        self.finish(fields, before, args, kwargs, saved)
        return value

    def finish(self, fields, before, args, kwargs, saved):
        if saved is not None:
            self.random_state.setstate(saved)
        if call_key(args, kwargs) != before:  # the call changed its arguments in place: the judge does the same
            fields["after"] = wire_json([list(args), kwargs], self.refs)
        self.reporter.hold("call", json_fields(**fields))


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
