"""Load the model file through the engine, with the lever ranges declared in it.

A model file is checked before PySD sees it (:func:`innosd.textio.check_model_file`: present,
of sensible size, UTF-8 text), and a syntax error PySD's parser finds is reported as one line
with the line and column in the file (:func:`model_errors`).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from . import paths, textio
from .errors import InputError


def load_model(path: str | Path | None = None):
    """The compiled engine model for ``path`` (default: the current project's model).

    The engine's CompiledModel carries the lever ranges declared in the file
    (``lookup_limits``). The engine caches it per file and modification time.

    Raises
    ------
    innosd.errors.InputError
        When the file is missing, not UTF-8 text, or not valid Vensim (with line and column).
    """
    p = Path(path or paths.MODEL_FILE).resolve()
    if not p.is_file():
        raise InputError(textio.shown(p), "", "model file not found", "pass the path of a Vensim .mdl file")
    from .engine import compile_model

    with model_errors(p):
        return compile_model(p)


@contextmanager
def model_errors(path: str | Path):
    """Check the model file, then turn PySD's parse errors inside the block into one :class:`InputError`.

    The line and column are those of the fault in the file (PySD parses each equation on its own;
    the equation's text is found in the file to place it).
    """
    from parsimonious.exceptions import ParseError, VisitationError

    from .engine import UnsupportedConstructError

    textio.check_model_file(path)
    try:
        yield
    except UnsupportedConstructError as exc:
        if isinstance(exc.__cause__, ParseError):  # a syntax error the engine met first: place it
            raise _located(path, exc.__cause__.text or "", exc.__cause__.pos or 0) from None
        raise InputError(textio.shown(path), "", str(exc).split(": ", 1)[-1],
                         "check the names in that equation; for constructs the engine lacks, "
                         "`innosd simulate --engine pysd` runs the model with PySD") from None
    except ParseError as exc:
        raise _located(path, exc.text or "", exc.pos or 0) from None
    except VisitationError as exc:  # a grammar action failed on text that parsed
        raise InputError(textio.shown(path), "", f"not a valid Vensim model ({_first_line(exc)})",
                         "open it in Vensim and check the equation named above") from None
    except (UnicodeDecodeError, RecursionError) as exc:
        raise InputError(textio.shown(path), "", f"not a valid Vensim model ({type(exc).__name__})",
                         "open it in Vensim, save it as a .mdl text file and try again") from None


def _located(path: str | Path, text: str, pos: int) -> InputError:
    """The InputError for a parse failure at ``pos`` of ``text`` (a piece of the file)."""
    shown = textio.shown(path)
    content = Path(path).read_text(encoding="utf-8", errors="replace")
    where = _find(content, text, pos)
    if where is None:
        snippet = text[pos:pos + 30].splitlines()[0] if text[pos:pos + 30].strip() else text[:30]
        return InputError(shown, "", f"Vensim syntax error near {snippet!r}",
                          "fix that expression (open the file in Vensim to check it)")
    line = content.count("\n", 0, where) + 1
    column = where - (content.rfind("\n", 0, where) + 1) + 1
    bad = content[where:where + 30].splitlines()[0] if content[where:where + 30].strip() else "end of equation"
    name = _equation_name(content, where)
    field = f"line {line}, column {column}"
    what = f" in the equation of '{name}'" if name else ""
    return InputError(shown, field, f"Vensim syntax error{what} at {bad!r}",
                      "fix the expression there (operators, brackets, commas), or open the file in Vensim to check it")


def _find(content: str, text: str, pos: int) -> int | None:
    """Offset in ``content`` of ``text[pos]``, allowing for the line continuations PySD joins."""
    if not text:
        return None
    i = content.find(text)
    if i >= 0:
        return i + pos
    # PySD joins "\\\n\t" continuations and collapses whitespace: match token by token
    tokens = re.findall(r"\S+", text)
    if not tokens:
        return None
    pattern = r"(?:\\\s*|\s)*".join(re.escape(t) for t in tokens)
    m = re.search(pattern, content)
    if not m:
        return None
    # map pos: count the non-space characters of text before pos, walk the same count in the match
    target = len(re.sub(r"\s", "", text[:pos]))
    seen = 0
    for j in range(m.start(), m.end()):
        c = content[j]
        if c.isspace() or c == "\\":
            continue
        if seen == target:
            return j
        seen += 1
    return m.end()


def _equation_name(content: str, where: int) -> str:
    """The variable whose equation holds offset ``where`` (the text before '=' after the previous '|')."""
    start = content.rfind("|", 0, where) + 1
    head = content[start:where]
    m = re.search(r"^\s*([^=~|\n(][^=~|\n]*?)\s*(?:\(|=)", head, re.MULTILINE)
    return m.group(1).strip() if m else ""


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[-1] if text else type(exc).__name__)[:100]
