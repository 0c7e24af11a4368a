"""O1-Coder Studio sandbox judge: decides assert tests, in a process that never runs program code.

One judge per worker, forked by the forkserver when the worker starts (before any program ran) and spoken to by
Node directly on fds 3 (requests) and 4 (answers), so the full tests never pass through the forkserver, whose
memory every program inherits. Two requests, same framing as the forkserver's channel:

  {"op": "drivers", "tests": [source, ...]} -> {"op": "drivers", "drivers": [{"driver", "names", "random", "expect"?} | {"error"}]}
      The driver of a test is what the program's process runs: the test with every assert reduced to the operands
      that can reach the solution (`assert f(2) == 4` -> `(f(2),)`), so literal expected values never enter it.
  {"op": "judge", "bindings", "tests": [{"index", "source", "calls", "end"}], "deadlineMs"} -> {"op": "judged", ...}
      Replays each test: its original code runs here with the solution's names bound to stubs that check each
      call's arguments against the recorded ones, in order, and return the recorded (decoded) value or raise the
      recorded exception. Only built-in values and Opaque placeholders exist here, so nothing can lie to a
      comparison, and builtins are this process's own.
"""

import builtins
import signal as _signal


class ReplayBroken(BaseException):
    """The replay left the recorded calls (another call, other arguments, or past the end). A BaseException so
    test code's `except Exception` does not swallow it; the judge also keeps a flag in case a bare except does."""


class JudgeTimeout(BaseException):
    pass


class RecordedError(Exception):
    """Stands in for an exception the solution raised in the program's process (when the type is not a built-in
    exception the test could catch by name)."""


# What a literal expected value is made of. No names at all, not even `set` or `sorted`: a solution may define
# its own (MBPP 126 defines `sum`), and then such an operand reaches the solution after all.
_LITERAL_NODES = (ast.Constant, ast.Tuple, ast.List, ast.Set, ast.Dict, ast.UnaryOp, ast.BinOp, ast.expr_context,
                  ast.unaryop, ast.operator)


def is_expected_side(node):
    """An operand that cannot reach the solution: a literal (numbers, strings, containers of them, arithmetic)."""
    for sub in ast.walk(node):
        if not _isinstance(sub, _LITERAL_NODES):
            return False
    return True


class DriverMaker(ast.NodeTransformer):
    """assert statements become expression statements evaluating what can reach the solution. Comparisons keep the
    operands that are not plain expected values; boolean operators stay whole (their short-circuit decides which
    calls happen); assert messages go."""

    def visit_Assert(self, node):
        self.generic_visit(node)
        kept = self.reaching(node.test)
        if not kept:
            return ast.copy_location(ast.Pass(), node)
        return ast.copy_location(ast.Expr(ast.Tuple(kept, ast.Load())), node)

    def reaching(self, expr):
        if _isinstance(expr, ast.UnaryOp) and _isinstance(expr.op, ast.Not):
            return self.reaching(expr.operand)
        if _isinstance(expr, ast.Compare):
            return [side for side in [expr.left] + expr.comparators if not is_expected_side(side)]
        return [] if is_expected_side(expr) else [expr]


def derive_driver(source):
    try:
        tree = ast.parse(source, "<test>", "exec")
        names = sorted({node.id for node in ast.walk(tree) if _isinstance(node, ast.Name)})
        expect = recorded_expectation(tree, source) if "random" not in source else None
        driver = ast.unparse(ast.fix_missing_locations(DriverMaker().visit(tree)))
        derived = {"driver": driver, "names": names, "random": "random" in source}
        if expect is not None:
            derived["expect"] = expect
        return derived
    except _BaseException as error:
        return {"error": describe_exception(error, {"<test>": source})}


def recorded_expectation(tree, source):
    """For a test that is exactly `assert NAME(literal, ...) == literal`, with an expected value made only of
    ints, bools, strings, None, lists and tuples: the recorded call that makes its replay here pass for certain,
    as wire text (name, argument key, return value). Node then passes the test when the program's run recorded
    exactly that first call (same name and argument key, that return value's exact wire text, nothing raised or
    changed in place) and saves a round trip to this process. Why that is this process's verdict: the replay's stub
    would accept that call (it checks name and key, in order) and return the decoding of that text, which is the
    expected value itself (wire text of such values decodes back to an equal value), so `==` holds.
    With no assert message, also the message a failing replay gives (`failed`, see failed_call_message): when that
    first call returned another value of the same plain kinds, one that Python's `==` tells apart from the
    expected value, the replay's assert fails with that message around the value's repr, and Node says so itself.
    Anything else (an equal value of another type such as 7.0 for 7, a float, an $opaque value) is replayed here as
    usual. None when the test has another shape."""
    if _len(tree.body) != 1 or not _isinstance(tree.body[0], ast.Assert):
        return None
    statement = tree.body[0]
    test = statement.test
    if not (_isinstance(test, ast.Compare) and _len(test.ops) == 1 and _isinstance(test.ops[0], ast.Eq)):
        return None
    call, expected = test.left, test.comparators[0]
    if not (_isinstance(call, ast.Call) and _isinstance(call.func, ast.Name) and not call.keywords):
        return None
    if any(_isinstance(arg, ast.Starred) or not is_expected_side(arg) for arg in call.args):
        return None
    if not is_expected_side(expected):
        return None
    try:
        args = tuple(ast.literal_eval(arg) for arg in call.args)
        value = ast.literal_eval(expected)
    except _BaseException:  # a literal that literal_eval does not take (e.g. `2 * 3`): replayed as usual
        return None
    if not is_plain_value(value):
        return None
    text = wire_json(value)
    if "$opaque" in text:  # e.g. an int too long to write out
        return None
    expect = {"name": call.func.id, "args": call_key(args, {}), "value": text}
    if statement.msg is None:  # a message would be evaluated, and shown, only when the assert fails
        expect["failed"] = failed_call_message(source, statement.lineno, value)
    return expect


def failed_call_message(source, line, expected):
    """The message judge_test gives when this test's assert fails on the value its call returned, as the text
    before and after that value's safe_repr: [head, tail]. The assert raises on its first line, the innermost
    frame in the test's code, so the statement shown is that line (as innermost_location has it)."""
    statement = source_line({"<test>": source}, "<test>", line)[:300]
    head, tail = assert_message("", statement, compare_detail(_RETURNED, safe_repr(expected), "Eq"), None).split(_RETURNED)
    return [head, tail]


_RETURNED = "\x00returned\x00"  # stands for the returned value's repr; no test's source can hold a NUL byte


_PLAIN_SCALARS = (bool, int, str, type(None))


def is_plain_value(value, depth=0):
    """Made only of values whose wire text decodes back to an equal value of the same type, with no floats."""
    kind = _type(value)
    if kind in _PLAIN_SCALARS:
        return True
    if (kind is list or kind is tuple) and depth < 100:
        return all(is_plain_value(item, depth + 1) for item in value)
    return False


# --- replay --------------------------------------------------------------------------------------------------


class AssertState:
    def __init__(self):
        self.detail = None


_COMPARE = {"Eq": operator.eq, "NotEq": operator.ne, "Lt": operator.lt, "LtE": operator.le, "Gt": operator.gt,
            "GtE": operator.ge, "In": lambda a, b: a in b, "NotIn": lambda a, b: a not in b,
            "Is": operator.is_, "IsNot": operator.is_not}
_OP_TEXT = {"Eq": "==", "NotEq": "!=", "Lt": "<", "LtE": "<=", "Gt": ">", "GtE": ">=", "In": "in", "NotIn": "not in",
            "Is": "is", "IsNot": "is not"}


def make_compare(state):
    def compare(op, left, right):
        result = bool(_COMPARE[op](left, right))
        if not result:
            state.detail = compare_detail(safe_repr(left), safe_repr(right), op)
        return result

    return compare


def compare_detail(left_text, right_text, op):
    return "left:  %s\n  right: %s  (%s)" % (left_text, right_text, _OP_TEXT[op])


class MessageRewriter(ast.NodeTransformer):
    """`assert a == b` -> `assert <compare>('Eq', a, b)`, so a failing assert can say what its operands were."""

    def __init__(self, compare_name):
        self.compare_name = compare_name

    def visit_Assert(self, node):
        self.generic_visit(node)
        test = node.test
        if _isinstance(test, ast.Compare) and _len(test.ops) == 1:
            call = ast.Call(ast.Name(self.compare_name, ast.Load()),
                            [ast.Constant(_type(test.ops[0]).__name__), test.left, test.comparators[0]], [])
            node.test = ast.copy_location(call, test)
        return node


COMPARE_NAME = "_o1c_compare_" + os.urandom(6).hex()
_compiled_tests = {}


def compile_original(source, filename):
    key = (filename, source)
    code = _compiled_tests.get(key)
    if code is None:
        if _len(_compiled_tests) > 4096:
            _compiled_tests.clear()
        tree = ast.fix_missing_locations(MessageRewriter(COMPARE_NAME).visit(ast.parse(source, filename, "exec")))
        code = _compiled_tests[key] = compile(tree, filename, "exec", dont_inherit=True)
    return code


class Replay:
    """The recorded calls of one test and how far the judge's run of it got."""

    def __init__(self, calls, opaques):
        self.calls = calls
        self.position = 0
        self.broken = None
        self.opaques = opaques

    def next_call(self, name, args, kwargs):
        if self.broken is not None:
            raise ReplayBroken(self.broken)
        if self.position >= _len(self.calls):
            self.broken = ("exhausted", "the test calls %s(...) here, which the program's run of it never did" % name)
            raise ReplayBroken(self.broken)
        record = self.calls[self.position]
        self.position += 1
        if record.get("name") != name or record.get("args") != call_key(args, kwargs):
            self.broken = ("mismatch", "the test calls %s%s here, but the program's run of it called %s%s" % (
                name, preview_args(call_key(args, kwargs)), record.get("name"), preview_args(record.get("args"))))
            raise ReplayBroken(self.broken)
        return record


def preview_args(text):
    text = _str(text)
    return "(%s)" % (text[1:-1] if text.startswith("[") else text)[:200]


class Stub:
    """Stands for one of the solution's callables in the judge."""

    def __init__(self, name, judge):
        self.name = name
        self.judge = judge

    def __call__(self, *args, **kwargs):
        replay = self.judge.replay
        record = replay.next_call(self.name, args, kwargs)
        if "after" in record:
            apply_mutations(args, kwargs, decode_recorded(json.loads(record["after"]), replay.opaques))
        if "raise" in record:
            raise stand_in(record["raise"])
        return decode_recorded(json.loads(record["v"]), replay.opaques)

    def __repr__(self):
        return "<function %s>" % self.name


def apply_mutations(args, kwargs, after):
    """The call changed some of its (mutable, built-in) arguments in the program's process: so it does here."""
    new_args, new_kwargs = after if _len(after) == 2 else (after, {})
    pairs = _list(zip(args, new_args)) + [(kwargs[k], new_kwargs.get(k)) for k in kwargs if k in (new_kwargs or {})]
    for old, new in pairs:
        kind = _type(old)
        if kind is _type(new) or (kind is bytearray and _type(new) is bytes):
            if kind is list or kind is bytearray:
                old[:] = new
            elif kind is dict or kind is set:
                old.clear()
                old.update(new)


def stand_in(described):
    kind = getattr(builtins, described.get("type", ""), None)
    if not (_isinstance(kind, _type) and issubclass(kind, Exception)):
        kind = RecordedError
    try:
        error = kind(described.get("message", ""))
    except _BaseException:
        error = RecordedError(described.get("message", ""))
    error.o1c_recorded = described
    return error


_list = list


class Judge:
    def __init__(self):
        self.replay = None
        self.builtins_snapshot = dict(builtins.__dict__)
        self.deadline = None

    def run(self, request):
        opaques = {}
        self.deadline = time.monotonic() + max(request.get("deadlineMs", 10000), 1) / 1000.0
        namespace = {"__builtins__": builtins, "__name__": "__main__"}
        for name, binding in (request.get("bindings") or {}).items():
            if "call" in binding:
                namespace[name] = Stub(name, self)
            elif "module" in binding:
                try:
                    namespace[name] = __import__(binding["module"])
                except _BaseException:
                    pass
            elif "v" in binding:
                namespace[name] = decode_recorded(json.loads(binding["v"]), opaques)
        results = []
        try:
            for test in request["tests"]:
                results.append(self.judge_test(test, namespace, opaques))
        finally:
            self.restore()
        return {"op": "judged", "results": results}

    def restore(self):
        """Test code is trusted, but whatever it changed in builtins does not carry over to the next request."""
        current = builtins.__dict__
        if _len(current) != _len(self.builtins_snapshot) or any(current.get(k) is not v for k, v in self.builtins_snapshot.items()):
            current.clear()
            current.update(self.builtins_snapshot)

    def judge_test(self, test, namespace, opaques):
        index = test["index"]
        filename = "<test %d>" % index
        sources = {filename: test["source"]}
        self.replay = Replay(test.get("calls") or [], opaques)
        state = AssertState()
        namespace[COMPARE_NAME] = make_compare(state)
        if "random" in test["source"]:
            import random
            random.seed(0)
        outcome = {"t": index}
        started = time.perf_counter()
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            outcome.update(status="timeout")
            return outcome
        _signal.setitimer(_signal.ITIMER_REAL, remaining, 0.05)  # keeps firing if test code swallows the first
        try:
            exec(compile_original(test["source"], filename), namespace)
            outcome["status"] = "pass"
        except JudgeTimeout:
            outcome["status"] = "timeout"
        except ReplayBroken:
            outcome["status"] = "replay"
        except _AssertionError as error:
            outcome.update(status="fail", message=failed_assert_message(error, sources, state))
        except _BaseException as error:
            recorded = getattr(error, "o1c_recorded", None)
            outcome.update(status="error", **(recorded if _type(recorded) is dict else describe_exception(error, sources)))
        finally:
            _signal.setitimer(_signal.ITIMER_REAL, 0, 0)
        if self.replay.broken is not None and outcome["status"] != "timeout":
            outcome = {"t": index, "status": "replay", "reason": self.replay.broken[0], "message": self.replay.broken[1]}
        outcome["d"] = round((time.perf_counter() - started) * 1000.0, 3)
        return outcome


def failed_assert_message(error, sources, state):
    explicit = ""
    try:
        explicit = _str(error)
    except _BaseException:
        pass
    where = innermost_location(error, sources) or ""
    statement = where.split(": ", 1)[1] if ": " in where else ""
    return assert_message(explicit, statement, state.detail, ASSERT_MESSAGE_LIMIT)


ASSERT_MESSAGE_LIMIT = 4000  # characters; Node decides a failure itself only with a message within it (verdict.ts)


def assert_message(explicit, statement, detail, limit):
    message = explicit or statement or "assertion failed"
    if explicit and statement:
        message = "%s  (%s)" % (statement, explicit)
    if detail:
        message += "\n  " + detail
    return message[:limit]


def on_alarm(signum, frame):
    raise JudgeTimeout()


JUDGE_MEMORY_BYTES = 1 << 30


def judge_main(read_fd, write_fd):
    """The judge's loop: one request at a time, until Node closes its end."""
    _signal.signal(_signal.SIGALRM, on_alarm)
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (JUDGE_MEMORY_BYTES, JUDGE_MEMORY_BYTES))  # test code gets MemoryError
    channel = Channel(read_fd, write_fd)
    judge = Judge()
    while True:
        request = channel.recv()
        if request is None:
            return 0
        try:
            if request.get("op") == "drivers":
                answer = {"op": "drivers", "drivers": [derive_driver(source) for source in request["tests"]]}
            elif request.get("op") == "judge":
                answer = judge.run(request)
            else:
                answer = {"op": "error", "message": "unknown op %r" % request.get("op")}
        except _BaseException as error:
            answer = {"op": "error", "message": "the judge failed: %r" % (error,)}
        channel.send(answer)
