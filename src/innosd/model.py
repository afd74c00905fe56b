"""Load the model file through the engine, with the lever ranges declared in it.

A model file is checked before PySD sees it (:func:`innosd.textio.check_model_file`: present,
of sensible size, UTF-8 text), and a syntax error PySD's parser finds is reported as one line
with the line and column in the file (:func:`model_errors`); so is an equation that refers to a name
defined nowhere (:func:`undefined_name`). Whatever PySD raises on a user's model is one line too
(:func:`pysd_errors`).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

from . import paths, textio
from .errors import InputError, UserError

_UNKNOWN = re.compile(r"reference to unknown name '(.+)'")  # how the engine reports an undefined name


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
    if not re.sub(r"\{UTF-8\}", "", Path(path).read_text(encoding="utf-8", errors="replace")).strip():
        raise InputError(textio.shown(path), "", "the model file is empty (no equations)",
                         "save the model from Vensim again, or restore the file from git")
    try:
        yield
    except UnsupportedConstructError as exc:
        if isinstance(exc.__cause__, ParseError):  # a syntax error the engine met first: place it
            raise _located(path, exc.__cause__.text or "", exc.__cause__.pos or 0) from None
        raise undefined_name(path, exc) or InputError(textio.shown(path), "", str(exc).split(": ", 1)[-1],
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


def undefined_name(path: str | Path, exc) -> InputError | None:
    """The one-line error for an equation that refers to a name defined nowhere, else None.

    Parameters
    ----------
    path : str or Path
        The model file.
    exc : innosd.engine.UnsupportedConstructError
        The engine's error; only its "reference to unknown name" kind is turned into an error here.

    Returns
    -------
    InputError or None
        ``FILE: line L: 'X' in the equation of 'Y' is not defined; fix: define it or correct the name
        (did you mean ...)``, the line being that of the reference (else of the equation's left-hand side).
    """
    m = _UNKNOWN.fullmatch(getattr(exc, "construct", ""))
    if not m:
        return None
    content = Path(path).read_text(encoding="utf-8", errors="replace")
    words = [w for w in re.split(r"[\s_]+", m.group(1)) if w]
    written, where = " ".join(words), None
    lhs = _name_pattern(exc.variable)
    head = re.search(rf'^[ \t]*"?{lhs}"?[ \t]*(?:\[[^\]]*\])?[ \t]*(?:=|:|\()', content, re.I | re.M) if lhs else None
    if head:
        where = head.start()
        end = content.find("~", head.end())
        ref = re.search(rf"(?<![\w]){_name_pattern(written)}(?![\w])", content[head.end():end if end > 0 else None],
                        re.I)
        if ref:
            written, where = " ".join(ref.group(0).split()), head.end() + ref.start()
    field = f"line {content.count(chr(10), 0, where) + 1}" if where is not None else ""
    return InputError(textio.shown(path), field, f"'{written}' in the equation of '{exc.variable}' is not defined",
                      "define it or correct the name" + _close_names(path, written))


def _name_pattern(name: str) -> str:
    """A regex matching a Vensim name as written in a file: words separated by spaces or underscores, any case."""
    return r"[ \t_]+".join(re.escape(w) for w in re.split(r"[\s_]+", name) if w)


def _defined_names(text: str) -> list[str]:
    """The names the equations of a .mdl text define (the left-hand sides, before the sketch section).

    Read from the text rather than through :mod:`innosd.structure`, which reads models through this module.
    """
    body = text.split("\\\\\\---///", 1)[0]
    names = []
    for section in body.split("|"):
        m = re.match(r"\s*(?:\{UTF-8\}\s*)?([^=~|(:\[\n]+?)\s*(?:=|\(|:|\[)", section)
        if m and not m.group(1).startswith("*"):
            names.append(" ".join(m.group(1).split()))
    return names


def _close_names(path, name: str) -> str:
    """`` (did you mean 'a' or 'b'?)`` for the model's variables closest to ``name``, else empty."""
    import difflib

    try:
        names = _defined_names(Path(path).read_text(encoding="utf-8", errors="replace"))
    except OSError:  # only a hint; the error itself is already known
        return ""
    lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(name.lower(), list(lower), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(lower[c]) for c in close)}?)" if close else ""


@contextmanager
def pysd_errors(path: str | Path):
    """Turn whatever PySD raises while loading or running the model at ``path`` into one :class:`InputError`.

    Syntax errors are left to :func:`model_errors` (which places them); an undefined name is reported as
    :func:`undefined_name` does (the engine finds it); anything else is PySD's message in one line.
    """
    from parsimonious.exceptions import ParseError, VisitationError

    try:
        yield
    except (UserError, ParseError, VisitationError, UnicodeDecodeError, RecursionError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - PySD raises anything from KeyError to AttributeError
        from .engine import UnsupportedConstructError, compile_model

        try:
            compile_model(Path(path))
        except UnsupportedConstructError as found:
            if (err := undefined_name(path, found)) is not None:
                raise err from None
        except Exception:  # noqa: BLE001, S110 - the engine's view is only a better message when it has one
            pass
        raise InputError(textio.shown(path), "", f"PySD failed: {type(exc).__name__}: {_first_line(exc)}",
                         "check what PySD names (an equation: open the model in Vensim; a file the model reads: "
                         "put it beside the model), or run it with the default engine") from None


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
