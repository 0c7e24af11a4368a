// The built-in starter set: problems written for O1-Coder Studio (not taken from any benchmark), so a fresh install
// has something to run before a benchmark is imported. Written in the generic `jsonl` record format, and parsed by
// the same code as an imported file. House rule: the first test of each problem is search-visible, the rest hidden.
// test/datasets/starter-references.test.ts runs every reference solution against every test with python3.
import type { GenericRecord } from "../formats/generic-jsonl.ts";

/** Shorthand for the house rule: first test visible, the others `hidden: true`. */
function asserts(...lines: string[]) {
  return lines.map((line, index) => (index === 0 ? line : { assert: line, hidden: true }));
}

function stdio(...cases: [input: string, output: string][]) {
  return cases.map(([input, output], index) => (index === 0 ? { input, output } : { input, output, hidden: true }));
}

/**
 * One island winding through a size x size grid (~20,000 cells): a recursive flood fill exceeds Python's default
 * recursion limit on it, which is what the statement warns about.
 */
function serpentineIsland(size: number): string {
  const rows = Array.from({ length: size }, (_, r) => {
    if (r % 2 === 0) return "1".repeat(size);
    return r % 4 === 1 ? `${"0".repeat(size - 1)}1` : `1${"0".repeat(size - 1)}`;
  });
  return `${size} ${size}\n${rows.join("\n")}\n`;
}

export const STARTER_RECORDS: GenericRecord[] = [
  {
    id: "digital-root",
    title: "Digital root",
    statement:
      "Write a function `digital_root(n)` that takes a non-negative integer and repeatedly replaces it with the sum of " +
      "its decimal digits until a single digit remains, then returns that digit.",
    entry_point: "digital_root",
    signature: "def digital_root(n: int) -> int:",
    reference_solution: `def digital_root(n: int) -> int:
    while n >= 10:
        n = sum(int(d) for d in str(n))
    return n
`,
    tests: asserts(
      "assert digital_root(493193) == 2",
      "assert digital_root(0) == 0",
      "assert digital_root(9) == 9",
      "assert digital_root(10) == 1",
      "assert digital_root(999999999999) == 9",
    ),
  },
  {
    id: "run-length-encode",
    title: "Run-length encoding",
    statement:
      "Write a function `run_length_encode(s)` that compresses a string by replacing every maximal run of the same " +
      "character with the character followed by the run length, e.g. `aaabcc` becomes `a3b1c2`. The empty string " +
      "encodes to the empty string.",
    entry_point: "run_length_encode",
    signature: "def run_length_encode(s: str) -> str:",
    reference_solution: `def run_length_encode(s: str) -> str:
    parts = []
    i = 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        parts.append(f"{s[i]}{j - i}")
        i = j
    return "".join(parts)
`,
    tests: asserts(
      'assert run_length_encode("aaabcc") == "a3b1c2"',
      'assert run_length_encode("") == ""',
      'assert run_length_encode("z") == "z1"',
      'assert run_length_encode("abab") == "a1b1a1b1"',
      'assert run_length_encode("x" * 12 + "yy") == "x12y2"',
    ),
  },
  {
    id: "vowel-runs",
    title: "Count vowel runs",
    statement:
      "Write a function `count_vowel_runs(text)` that returns how many maximal groups of consecutive vowels the text " +
      "contains. Vowels are a, e, i, o and u in either case; every other character separates groups.",
    entry_point: "count_vowel_runs",
    signature: "def count_vowel_runs(text: str) -> int:",
    reference_solution: `def count_vowel_runs(text: str) -> int:
    runs = 0
    inside = False
    for ch in text:
        is_vowel = ch.lower() in "aeiou"
        if is_vowel and not inside:
            runs += 1
        inside = is_vowel
    return runs
`,
    tests: asserts(
      'assert count_vowel_runs("beautiful idea") == 5',
      'assert count_vowel_runs("") == 0',
      'assert count_vowel_runs("rhythm") == 0',
      'assert count_vowel_runs("AEIOU") == 1',
      'assert count_vowel_runs("a-e-i") == 3',
    ),
  },
  {
    id: "rotate-grid",
    title: "Rotate a grid clockwise",
    statement:
      "Write a function `rotate_clockwise(grid)` that takes a rectangular grid given as a list of rows and returns a new " +
      "grid rotated 90 degrees clockwise. The input must not be modified. An empty grid stays empty.",
    entry_point: "rotate_clockwise",
    signature: "def rotate_clockwise(grid: list[list[int]]) -> list[list[int]]:",
    reference_solution: `def rotate_clockwise(grid: list[list[int]]) -> list[list[int]]:
    if not grid:
        return []
    return [list(row) for row in zip(*grid[::-1])]
`,
    tests: asserts(
      "assert rotate_clockwise([[1, 2], [3, 4]]) == [[3, 1], [4, 2]]",
      "assert rotate_clockwise([]) == []",
      "assert rotate_clockwise([[1, 2, 3]]) == [[1], [2], [3]]",
      "assert rotate_clockwise([[1], [2], [3]]) == [[3, 2, 1]]",
      "g = [[1, 2, 3], [4, 5, 6]]\nassert rotate_clockwise(g) == [[4, 1], [5, 2], [6, 3]]\nassert g == [[1, 2, 3], [4, 5, 6]]",
    ),
  },
  {
    id: "merge-ranges",
    title: "Merge overlapping ranges",
    statement:
      "Write a function `merge_ranges(ranges)` that takes a list of closed integer ranges `[start, end]` (start <= end), " +
      "in any order, and returns the smallest sorted list of disjoint ranges covering the same numbers. Ranges that " +
      "touch, such as [1, 3] and [3, 5], merge; [1, 3] and [4, 5] do not.",
    entry_point: "merge_ranges",
    signature: "def merge_ranges(ranges: list[list[int]]) -> list[list[int]]:",
    reference_solution: `def merge_ranges(ranges: list[list[int]]) -> list[list[int]]:
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged
`,
    tests: asserts(
      "assert merge_ranges([[5, 8], [1, 3], [2, 4]]) == [[1, 4], [5, 8]]",
      "assert merge_ranges([]) == []",
      "assert merge_ranges([[1, 3], [3, 5]]) == [[1, 5]]",
      "assert merge_ranges([[1, 3], [4, 5]]) == [[1, 3], [4, 5]]",
      "assert merge_ranges([[1, 10], [2, 3], [4, 5]]) == [[1, 10]]",
      "assert merge_ranges([[-5, -1], [-3, 2], [7, 7]]) == [[-5, 2], [7, 7]]",
    ),
  },
  {
    id: "balanced-prefix",
    title: "Longest balanced prefix",
    statement:
      "A string of parentheses is balanced when every '(' has a matching ')' after it and no ')' is unmatched. Write a " +
      "function `longest_balanced_prefix(s)` that returns the length of the longest prefix of `s` that is balanced " +
      "(0 when only the empty prefix is). `s` contains only '(' and ')'.",
    entry_point: "longest_balanced_prefix",
    signature: "def longest_balanced_prefix(s: str) -> int:",
    reference_solution: `def longest_balanced_prefix(s: str) -> int:
    depth = 0
    best = 0
    for i, ch in enumerate(s):
        depth += 1 if ch == "(" else -1
        if depth < 0:
            break
        if depth == 0:
            best = i + 1
    return best
`,
    tests: asserts(
      'assert longest_balanced_prefix("(())()(") == 6',
      'assert longest_balanced_prefix("") == 0',
      'assert longest_balanced_prefix(")(") == 0',
      'assert longest_balanced_prefix("((((") == 0',
      'assert longest_balanced_prefix("()())()") == 4',
    ),
  },
  {
    id: "fewest-coins",
    title: "Fewest coins",
    statement:
      "Write a function `fewest_coins(amount, coins)` that returns the smallest number of coins whose values add up to " +
      "`amount`, using any number of coins of each value in `coins` (positive integers). Return -1 when the amount " +
      "cannot be made. An amount of 0 needs 0 coins.",
    entry_point: "fewest_coins",
    signature: "def fewest_coins(amount: int, coins: list[int]) -> int:",
    reference_solution: `def fewest_coins(amount: int, coins: list[int]) -> int:
    unreachable = amount + 1
    best = [0] + [unreachable] * amount
    for value in range(1, amount + 1):
        for coin in coins:
            if coin <= value and best[value - coin] + 1 < best[value]:
                best[value] = best[value - coin] + 1
    return -1 if best[amount] == unreachable else best[amount]
`,
    tests: asserts(
      "assert fewest_coins(11, [1, 2, 5]) == 3",
      "assert fewest_coins(0, [7]) == 0",
      "assert fewest_coins(3, [2]) == -1",
      "assert fewest_coins(6, [1, 3, 4]) == 2",
      "assert fewest_coins(10000, [7, 13, 29]) == 348",
    ),
  },
  {
    id: "word-frequency",
    title: "Most frequent words",
    statement:
      "Write a function `top_words(words, k)` that returns the `k` most frequent words of the list, most frequent first; " +
      "words with the same count are ordered alphabetically. If there are fewer than `k` distinct words, return all of them.",
    entry_point: "top_words",
    signature: "def top_words(words: list[str], k: int) -> list[str]:",
    reference_solution: `from collections import Counter


def top_words(words: list[str], k: int) -> list[str]:
    counts = Counter(words)
    ranked = sorted(counts, key=lambda word: (-counts[word], word))
    return ranked[:k]
`,
    tests: asserts(
      'assert top_words(["pear", "fig", "pear", "kiwi", "fig", "pear"], 2) == ["pear", "fig"]',
      "assert top_words([], 3) == []",
      'assert top_words(["b", "a", "c"], 2) == ["a", "b"]',
      'assert top_words(["x", "y", "x"], 5) == ["x", "y"]',
      'assert top_words(["dog", "cat", "cat", "dog", "emu"], 1) == ["cat"]',
    ),
  },
  {
    id: "postfix-eval",
    title: "Evaluate a postfix expression",
    statement:
      "Write a function `eval_postfix(tokens)` that evaluates an arithmetic expression in postfix (reverse Polish) " +
      "notation, given as a list of tokens: integers (possibly negative, as strings) and the operators +, -, * and /. " +
      "Division truncates toward zero, as in most C-like languages. The expression is always valid and never divides by zero.",
    entry_point: "eval_postfix",
    signature: "def eval_postfix(tokens: list[str]) -> int:",
    reference_solution: `def eval_postfix(tokens: list[str]) -> int:
    stack: list[int] = []
    for token in tokens:
        if token in ("+", "-", "*", "/"):
            right = stack.pop()
            left = stack.pop()
            if token == "+":
                stack.append(left + right)
            elif token == "-":
                stack.append(left - right)
            elif token == "*":
                stack.append(left * right)
            else:
                quotient = abs(left) // abs(right)
                stack.append(quotient if (left >= 0) == (right > 0) else -quotient)
        else:
            stack.append(int(token))
    return stack[0]
`,
    tests: asserts(
      'assert eval_postfix(["3", "4", "+", "2", "*"]) == 14',
      'assert eval_postfix(["42"]) == 42',
      'assert eval_postfix(["7", "-2", "/"]) == -3',
      'assert eval_postfix(["-7", "2", "/"]) == -3',
      'assert eval_postfix(["5", "1", "2", "+", "4", "*", "+", "3", "-"]) == 14',
    ),
  },
  {
    id: "spiral-walk",
    title: "Spiral walk",
    statement:
      "Write a function `spiral(grid)` that returns the values of a rectangular grid (a list of rows) in clockwise " +
      "spiral order, starting at the top-left corner and moving right first.",
    entry_point: "spiral",
    signature: "def spiral(grid: list[list[int]]) -> list[int]:",
    reference_solution: `def spiral(grid: list[list[int]]) -> list[int]:
    out: list[int] = []
    rows = [list(row) for row in grid]
    while rows:
        out.extend(rows.pop(0))
        rows = [list(row) for row in zip(*rows)][::-1]
    return out
`,
    tests: asserts(
      "assert spiral([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) == [1, 2, 3, 6, 9, 8, 7, 4, 5]",
      "assert spiral([]) == []",
      "assert spiral([[1, 2, 3, 4]]) == [1, 2, 3, 4]",
      "assert spiral([[1], [2], [3]]) == [1, 2, 3]",
      "assert spiral([[1, 2], [3, 4], [5, 6]]) == [1, 2, 4, 6, 5, 3]",
    ),
  },
  {
    id: "grid-shortest-path",
    title: "Shortest path through a maze",
    statement:
      "A maze is a list of equal-length strings where '.' is open floor and '#' is wall. Write a function " +
      "`shortest_path(maze)` that returns the fewest moves needed to walk from the top-left cell to the bottom-right " +
      "cell, moving one cell up, down, left or right per move and never onto a wall. Return -1 if the exit cannot be " +
      "reached or either corner is a wall. A 1x1 open maze needs 0 moves.",
    entry_point: "shortest_path",
    signature: "def shortest_path(maze: list[str]) -> int:",
    reference_solution: `from collections import deque


def shortest_path(maze: list[str]) -> int:
    rows, cols = len(maze), len(maze[0])
    if maze[0][0] == "#" or maze[rows - 1][cols - 1] == "#":
        return -1
    distance = {(0, 0): 0}
    queue = deque([(0, 0)])
    while queue:
        r, c = queue.popleft()
        if (r, c) == (rows - 1, cols - 1):
            return distance[(r, c)]
        for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
            if 0 <= nr < rows and 0 <= nc < cols and maze[nr][nc] == "." and (nr, nc) not in distance:
                distance[(nr, nc)] = distance[(r, c)] + 1
                queue.append((nr, nc))
    return -1
`,
    tests: asserts(
      'assert shortest_path(["..#", "#..", "#.."]) == 4',
      'assert shortest_path(["."]) == 0',
      'assert shortest_path([".#", "#."]) == -1',
      'assert shortest_path(["#."]) == -1',
      'assert shortest_path(["....", "###.", "....", ".###", "...."]) == 13',
    ),
  },
  {
    id: "longest-rising-run",
    title: "Longest strictly increasing subsequence",
    statement:
      "Write a function `longest_increasing(nums)` that returns the length of the longest strictly increasing " +
      "subsequence of `nums` (its elements need not be adjacent). The list can hold up to 100,000 numbers, so aim for " +
      "better than quadratic time.",
    entry_point: "longest_increasing",
    signature: "def longest_increasing(nums: list[int]) -> int:",
    reference_solution: `from bisect import bisect_left


def longest_increasing(nums: list[int]) -> int:
    tails: list[int] = []
    for x in nums:
        i = bisect_left(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails)
`,
    tests: asserts(
      "assert longest_increasing([10, 9, 2, 5, 3, 7, 101, 18]) == 4",
      "assert longest_increasing([]) == 0",
      "assert longest_increasing([5, 5, 5]) == 1",
      "assert longest_increasing(list(range(100000, 0, -1))) == 1",
      "assert longest_increasing([(i * 7919) % 100003 for i in range(100000)]) == 306",
      "assert longest_increasing([3, 1, 2, 1, 8, 5, 6]) == 4",
    ),
  },
  {
    id: "even-sum-stdin",
    title: "Sum of the even numbers (stdin)",
    statement:
      "Read a count n on the first line of standard input, then n integers separated by spaces on the second line " +
      "(the line is empty when n is 0). Print the sum of the even integers among them.",
    reference_solution: `import sys

data = sys.stdin.read().split()
n = int(data[0])
numbers = [int(x) for x in data[1:1 + n]]
print(sum(x for x in numbers if x % 2 == 0))
`,
    tests: stdio(["5\n1 2 3 4 5\n", "6\n"], ["0\n\n", "0\n"], ["3\n-2 -4 7\n", "-6\n"], ["4\n1 3 5 7\n", "0\n"]),
  },
  {
    id: "gcd-lcm-stdin",
    title: "GCD and LCM (stdin)",
    statement:
      "Standard input holds two positive integers a and b on one line. Print their greatest common divisor and their " +
      "least common multiple, separated by one space.",
    reference_solution: `import math

a, b = map(int, input().split())
print(math.gcd(a, b), a * b // math.gcd(a, b))
`,
    tests: stdio(["12 18\n", "6 36\n"], ["7 7\n", "7 7\n"], ["1 999\n", "1 999\n"], ["1000000007 998244353\n", "1 998244359987710471\n"]),
  },
  {
    id: "repeated-words-stdin",
    title: "Repeated words (stdin)",
    statement:
      "Standard input holds one word per line. Print, one per line, every word that occurs more than once, in the order " +
      "of its first occurrence. Print NONE if no word repeats. Words are case-sensitive.",
    reference_solution: `import sys

words = [line.strip() for line in sys.stdin if line.strip()]
seen = {}
for word in words:
    seen[word] = seen.get(word, 0) + 1
repeated = [word for word in seen if seen[word] > 1]
print("\\n".join(repeated) if repeated else "NONE")
`,
    tests: stdio(
      ["apple\nkiwi\napple\nplum\nkiwi\napple\n", "apple\nkiwi\n"],
      ["one\ntwo\nthree\n", "NONE\n"],
      ["", "NONE\n"],
      ["Go\ngo\nGo\n", "Go\n"],
    ),
  },
  {
    id: "islands-stdin",
    title: "Count islands (stdin)",
    statement:
      "The first line of standard input holds the number of rows R and columns C. The next R lines each hold C " +
      "characters, '1' for land and '0' for water. Land cells that touch horizontally or vertically form one island. " +
      "Print the number of islands. Grids can be up to 1000 x 1000, so avoid deep recursion.",
    reference_solution: `import sys

lines = sys.stdin.read().split()
rows, cols = int(lines[0]), int(lines[1])
grid = [list(line) for line in lines[2:2 + rows]]
islands = 0
for r in range(rows):
    for c in range(cols):
        if grid[r][c] != "1":
            continue
        islands += 1
        grid[r][c] = "0"
        stack = [(r, c)]
        while stack:
            y, x = stack.pop()
            for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                if 0 <= ny < rows and 0 <= nx < cols and grid[ny][nx] == "1":
                    grid[ny][nx] = "0"
                    stack.append((ny, nx))
print(islands)
`,
    tests: stdio(
      ["3 4\n1100\n0100\n0011\n", "2\n"],
      ["1 1\n0\n", "0\n"],
      ["2 2\n11\n11\n", "1\n"],
      ["3 3\n101\n010\n101\n", "5\n"],
      [serpentineIsland(200), "1\n"],
    ),
  },
];
